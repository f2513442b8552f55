"""
The data the Wagtail page editor posts when a teacher changes nothing, built
from the edit form the view rendered, so a test can change one field and
press a button (save, submit for moderation) on any seeded page.
"""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedValue


def editor_post_data(form) -> dict:
    """POST data for the page edit ``form`` as the browser would send it."""
    data = {}
    for bound in form:
        data.update(_field_data(bound))
    for formset in form.formsets.values():
        management = formset.management_form
        data.update({bound.html_name: bound.value() for bound in management})
    return data


def _field_data(bound) -> dict:
    widget, value = bound.field.widget, bound.value()
    if hasattr(widget, "block_def"):
        return block_data(widget.block_def, value, bound.html_name)
    if value is None:
        return {}
    if isinstance(value, bool):
        return {bound.html_name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {bound.html_name: [str(item) for item in value]}
    if hasattr(widget, "converter"):  # rich text: Draftail posts contentstate
        value = widget.format_value(value)
    return {bound.html_name: value}


def block_data(block, value, prefix: str) -> dict:
    """Form data of one StreamField block value under ``prefix``."""
    if isinstance(block, blocks.StreamBlock):
        return _children(value, prefix, lambda child: child.block, typed=True)
    if isinstance(block, blocks.ListBlock):
        return _children(value.bound_blocks, prefix, lambda _: block.child_block)
    if isinstance(block, blocks.StructBlock):
        data = {}
        for name, child in block.child_blocks.items():
            data.update(block_data(child, value.get(name), f"{prefix}-{name}"))
        return data
    if isinstance(block, blocks.RichTextBlock):
        return {prefix: block.field.widget.format_value(value.source)}
    if isinstance(block, blocks.BooleanBlock):
        return {prefix: "on"} if value else {}
    if isinstance(block, blocks.ChooserBlock):
        return {prefix: value.pk if value else ""}
    if isinstance(value, EmbedValue):
        return {prefix: value.url}
    return {prefix: "" if value is None else str(value)}


def _children(children, prefix, block_of, typed=False) -> dict:
    data = {f"{prefix}-count": str(len(children))}
    for index, child in enumerate(children):
        item = f"{prefix}-{index}"
        data.update({f"{item}-deleted": "", f"{item}-order": str(index)})
        data[f"{item}-id"] = child.id or ""
        if typed:
            data[f"{item}-type"] = child.block_type
        data.update(block_data(block_of(child), child.value, f"{item}-value"))
    return data
