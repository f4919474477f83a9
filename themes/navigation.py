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


def nav_for(user) -> list[NavSection]:
    from shared_apps.accounts.rules import can

    return [s for s in sorted(_sections.values(), key=lambda s: s.order) if can(user, s.permission)]
