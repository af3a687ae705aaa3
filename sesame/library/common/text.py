"""Text as people type or paste it, made regular once for every capability."""


def collapse_spaces(text: str) -> str:
    """One space between words: "DUPONT  Marie " is the name the librarian meant, and a pasted
    title often carries line breaks and double spaces."""
    return " ".join(text.split())
