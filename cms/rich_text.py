"""Stored rich text is shown sanitised: only the markup the site's editor can make.

Wagtail's editor limits what editors type, but whatever else reaches the database (an
import, a script, an old version) would be printed as it is. Every rich text the site shows
goes through `sanitised_html`: the `safe_richtext` template filter and the rich-text blocks
of page bodies (`cms.blocks.SanitisedRichTextBlock`)."""

import nh3
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

TAGS = {"a", "b", "blockquote", "br", "em", "h2", "h3", "h4", "i", "li", "ol", "p", "strong", "ul"}
ATTRIBUTES = {"a": {"href", "lang", "hreflang"}}


def sanitised_html(stored):
    """Wagtail's stored rich text with links to pages and documents expanded, sanitised."""
    if not stored:
        return ""
    html = expand_db_html(str(getattr(stored, "source", stored)))
    return mark_safe(nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES))  # noqa: S308
