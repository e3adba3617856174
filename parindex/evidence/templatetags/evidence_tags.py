from django import template

from parindex.evidence.formatting import file_size_vi

register = template.Library()


@register.filter
def filesize_vi(value: int | None) -> str:
    return file_size_vi(value)
