"""LaTeX to MathML on the server: no JavaScript or fonts reach the phone."""

import xml.etree.ElementTree as ET  # noqa: S405 - parses our own converter's output

from django.utils.safestring import SafeString, mark_safe
from latex2mathml.converter import convert

MAX_LATEX_LENGTH = 2000
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
ALLOWED_TAGS = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot "
    "mstyle merror mpadded mphantom mfenced menclose munder mover munderover "
    "mtable mtr mtd mlabeledtr mmultiscripts mprescripts none semantics".split()
)
ALLOWED_ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace linethickness "
    "columnalign rowspacing columnspacing width height depth accent accentunder "
    "movablelimits minsize maxsize symmetric largeop notation displaystyle "
    "scriptlevel columnlines rowlines frame open close separators align "
    "mathsize".split()
)


def latex_to_mathml(source: str, *, display: bool = False) -> SafeString | None:
    """
    The MathML for ``source``, or ``None`` when the formula cannot be read.

    latex2mathml raises its own exceptions, ``ValueError`` and ``IndexError``
    on malformed input, so the catch is deliberately broad: any failure means
    "show the source instead". Its output is not escaped (``\\text{<b>}``
    passes markup through, ``\\href`` keeps any URL), so it is parsed and
    rebuilt from an allowlist of MathML elements and attributes before it is
    marked safe.
    """
    source = (source or "").strip()
    if not source or len(source) > MAX_LATEX_LENGTH:
        return None
    try:
        raw = convert(source, display="block" if display else "inline")
        tree = ET.fromstring(raw)  # noqa: S314 - bounded, entity-free input
    except Exception:  # noqa: BLE001
        return None
    if not _is_clean(tree):
        return None
    ET.register_namespace("", MATHML_NS[1:-1])
    return mark_safe(ET.tostring(tree, encoding="unicode"))  # noqa: S308


def _is_clean(element) -> bool:
    for node in element.iter():
        tag = node.tag.removeprefix(MATHML_NS)
        if tag not in ALLOWED_TAGS:
            return False
        if any(name not in ALLOWED_ATTRIBUTES for name in node.attrib):
            return False
    return True
