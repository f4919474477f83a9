"""English and Bulgarian are complete: every UI string in the code is translated, the
compiled catalogue matches, placeholders survive, and people see their language."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "config" / "locale" / "bg" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    for entry in _entries():
        sources = {tuple(sorted(PLACEHOLDER.findall(entry.msgid)))}
        if entry.msgid_plural:
            sources.add(tuple(sorted(PLACEHOLDER.findall(entry.msgid_plural))))
            targets = entry.msgstr_plural.values()
        else:
            targets = [entry.msgstr]
        for target in targets:
            assert tuple(sorted(PLACEHOLDER.findall(target))) in sources, entry.msgid


def test_the_compiled_catalogue_matches():
    # Keyed by context too: "Sales" the section and "Sales" the role are different strings.
    compiled = {(e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, dict(e.msgstr_plural))
                for e in polib.mofile(str(PO.with_suffix(".mo")))}
    for entry in _entries():
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        assert compiled.get(key) == (entry.msgstr, dict(entry.msgstr_plural)), entry.msgid


def test_no_ui_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages on a copy of the source must find nothing that is not translated."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (GNU gettext) is needed: apt-get install gettext")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", ".local", ".git", "tests", "bench", "node_modules", "staticfiles", "__pycache__", "backups"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "bg", "--no-obsolete", "--ignore", ".venv/*"],
        cwd=copy, check=True, capture_output=True, env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    fresh = {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(copy / PO.relative_to(ROOT))) if not e.obsolete}
    ours = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries() if e.msgstr or e.msgstr_plural}
    assert sorted(m for _c, m, _p in fresh - ours) == []


@pytest.mark.django_db
def test_a_user_sees_their_own_language(app_client, sales_rep, tenant_a):
    from tests.helpers import sign_in

    type(sales_rep).objects.filter(pk=sales_rep.pk).update(language="bg")
    sales_rep.refresh_from_db()
    sign_in(app_client, sales_rep, tenant=tenant_a)
    page = app_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="bg">' in page and "Табло" in page


@pytest.mark.django_db
def test_the_language_switch_works_for_visitors(public_client):
    public_client.post("/i18n/setlang/", {"language": "bg", "next": "/pricing/"})
    page = public_client.get("/pricing/").content.decode()
    assert '<html lang="bg">' in page and "Безплатен" in page


@pytest.mark.django_db
def test_profile_language_choice_is_saved(app_client, owner, tenant_a):
    from tests.helpers import sign_in

    sign_in(app_client, owner, tenant=tenant_a)
    app_client.post("/account/profile/", {"full_name": "Оливия", "language": "bg"})
    owner.refresh_from_db()
    assert owner.language == "bg" and owner.full_name == "Оливия"
    assert "Табло" in app_client.get("/").content.decode()
