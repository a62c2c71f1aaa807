"""Every user-facing string is in the Welsh catalogue, translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def messages(path):
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(handle) if m.id}


def test_every_message_in_the_catalogue_is_translated():
    untranslated = [
        msgid
        for msgid, message in messages(CATALOGUE).items()
        if message.fuzzy
        or not message.string
        or (isinstance(message.string, tuple) and not all(message.string))
    ]
    assert not untranslated, f"Untranslated or fuzzy Welsh messages: {untranslated[:20]}"


def test_the_catalogue_holds_every_string_in_the_code(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail("gettext is missing: `make test` installs it (apt-get install gettext)")
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project / "commissioning",
        copy / "commissioning",
        ignore=shutil.ignore_patterns("__pycache__", "static"),
    )
    shutil.copy(project / "manage.py", copy / "manage.py")
    (copy / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "cy", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "OC_ENVIRONMENT": "test",
            "PYTHONPATH": str(copy),
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        },
    )
    assert result.returncode == 0, result.stderr
    extracted = messages(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    missing = sorted(set(extracted) - set(messages(CATALOGUE)))
    assert not missing, (
        f"Strings missing from locale/cy (run `make messages` and translate): {missing[:20]}"
    )
