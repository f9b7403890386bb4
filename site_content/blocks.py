"""StreamField blocks shared by every content area. Each renders through templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that structures a long story")
        preview_value = {"text": "黑土地上的一粒米", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image with caption")
        description = _("A photo with a caption, shown full width")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("Words of a grower, buyer or host")
        preview_value = {"text": "好米是种出来的，也是守出来的。", "attribution": "种植户 王师傅"}


class VideoEmbedBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), help_text=_("A link to a video page Wagtail can embed"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/video_embed_block.html"
        label = _("Video")
        description = _("An embedded video from a supported platform")


class StoryStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        template="blocks/paragraph_block.html",
        icon="pilcrow",
        preview_value="<p>五常大米生长在黑龙江的黑土地上，一年只种一季。</p>",
        description=_("Rich text: paragraphs, lists and links"),
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoEmbedBlock()

    class Meta:
        block_counts = {}
