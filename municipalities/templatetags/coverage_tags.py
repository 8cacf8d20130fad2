"""The coverage matrix's body, built in one pass: 500 municipalities × 9 columns is 4,500
cells, too many for the template engine to loop over within the page's time budget."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def coverage_rows(page_rows):
    rows = []
    for row in page_rows:
        url = conditional_escape(row["url"] or "")
        cells = "".join(
            f'<td><a href="{url}"><time>{day.isoformat()}</time></a></td>' if day else "<td>–</td>"
            for day in row["cells"]
        )
        title = conditional_escape(row["municipality"].title)
        rows.append(f'<tr><th scope="row"><a href="{url}">{title}</a></th>{cells}</tr>')
    return mark_safe("".join(rows))  # every interpolated value is escaped above
