"""The update core stays pure (ARCHITECTURE "The seams"): importing it loads neither Django nor an app."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sync_imports_neither_django_nor_the_apps():
    # given a fresh interpreter
    code = (
        "import sys, sesame.sync\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django' "
        "or m.startswith(('sesame.library', 'sesame.ent', 'sesame.config')))\n"
        "print(','.join(loaded))\n"
    )
    # when only the core is imported
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    # then nothing of Django or of the apps came with it
    assert result.stdout.strip() == ""
