"""StreamField blocks for page bodies, named so that migrations stay small and stable."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from cms.rich_text import sanitised_html


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        form_classname = "title"
        template = "includes/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "includes/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Leave empty to use the document title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "includes/blocks/document.html"


class SanitisedRichTextBlock(blocks.RichTextBlock):
    """Rich text shown sanitised (`cms.rich_text`)."""

    def render_basic(self, value, context=None):
        return sanitised_html(value)


class BodyBlock(blocks.StreamBlock):
    """The body of generic pages: text first, with images that always carry alt text."""

    heading = HeadingBlock()
    paragraph = SanitisedRichTextBlock(
        label=_("Text"), features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    image = ImageBlock(label=_("Image"))
    document = DocumentLinkBlock()
    quote = QuoteBlock()
