"""The French user guide (``docs/guide/*.md``) served inside the library pages.

Each step of the update links to its page here, so the help a librarian reads is the same text
the repository documents.
"""

from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"


def help_page(request, page: str):
    path = GUIDE_DIR / f"{page}.md"
    if not path.is_file() or path.resolve().parent != GUIDE_DIR.resolve():
        raise Http404("Page d'aide introuvable.")
    text = path.read_text(encoding="utf-8")
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), page)
    html = markdown.markdown(text, extensions=["tables", "toc"], output_format="html")
    return render(request, "library/help.html", {"title": title, "content": mark_safe(html)})
