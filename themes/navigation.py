"""The staff app's navigation. Apps add their section in AppConfig.ready(), so a
section appears when its app lands and there are no empty placeholder pages."""

from dataclasses import dataclass

_sections: dict[str, "NavSection"] = {}


@dataclass(frozen=True)
class NavSection:
    key: str
    label: object
    url_name: str
    icon: str
    order: int = 100
    permission: str = "workspace.view"
    active_prefix: str = ""


def nav_register(section: NavSection) -> None:
    _sections[section.key] = section


_topbar: dict[str, tuple[int, str]] = {}


def topbar_widget_register(key: str, template: str, order: int = 100) -> None:
    """A template included in the app's top bar (search box, notifications bell, ...).
    It gets the page's context."""
    _topbar[key] = (order, template)


def topbar_widgets() -> list[str]:
    return [template for _order, template in sorted(_topbar.values())]


def nav_for(user) -> list[NavSection]:
    from shared_apps.accounts.rules import can

    return [s for s in sorted(_sections.values(), key=lambda s: s.order) if can(user, s.permission)]


@dataclass(frozen=True)
class SettingsTab:
    key: str
    label: object
    url_name: str
    permission: str
    order: int = 100


_settings_tabs: dict[str, SettingsTab] = {}


def settings_tab_register(tab: SettingsTab) -> None:
    """A tab of the workspace settings; apps add theirs in AppConfig.ready()."""
    _settings_tabs[tab.key] = tab


def settings_tabs_for(user) -> list[SettingsTab]:
    from shared_apps.accounts.rules import can

    return [t for t in sorted(_settings_tabs.values(), key=lambda t: t.order) if can(user, t.permission)]
