"""Markup in titles and abstracts decoded to plain Unicode text, the same for every source.

Publishers and preprint servers write formulas and styling into their metadata: Crossref and Lens
keep JATS tags (``<italic>``, ``<jats:p>``) and MathML (``<mml:math>``), OpenAlex and CSL-JSON keep
HTML (``<sub>``, ``&amp;``), arXiv and the paper lists derived from it keep LaTeX (``$\\ell_1$``,
``Schr\\"odinger``). Shown as they are, such titles are unreadable; compared as they are, one paper
from two sources gets two title keys. :func:`decode_markup` turns each into plain text:

- known HTML, JATS and MathML tags go, their text stays; ``<sub>``/``<sup>``, ``<msub>``/``<msup>``
  and ``_``/``^`` in TeX become Unicode sub- and superscripts where each character has one (so the
  title key, which folds them with NFKC, is that of the plain printing ``CO2``);
- character entities are decoded (``&amp;`` → ``&``);
- LaTeX math between ``$`` signs and LaTeX accents and text commands become Unicode (pylatexenc).

Only what is surely markup is touched: a ``<`` that opens no known tag ("0.3<z<0.95"), a dollar
amount ("$5 and $10") and a backslash before no known command are kept as written.

Examples
--------
>>> decode_markup("Synthesis of CO<sub>2</sub> &amp; <i>ab initio</i> models")
'Synthesis of CO₂ & ab initio models'
>>> decode_markup("$\\\\ell_1$-regression with Heavy-tailed Distributions")
'ℓ₁-regression with Heavy-tailed Distributions'
>>> decode_markup('Schr\\\\"odinger operators on $C(X)$ for $0.3<z<0.95$')
'Schrödinger operators on C(X) for 0.3<z<0.95'
>>> decode_markup("It costs $5 and $10 and 0.3<z<0.95")
'It costs $5 and $10 and 0.3<z<0.95'
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from xml.etree import ElementTree

# Tags that are markup wherever they appear in a title or an abstract (HTML inline styling, JATS).
_TAG_NAMES = (
    "a|abbr|abstract|abstracttext|alternatives|b|bold|br|cite|code|disp-formula|div|em|ext-link|font|i|inline-formula"
    "|italic|label|list|list-item|monospace|named-content|p|roman|sans-serif|sc|scp|sec|small|span|strike"
    "|strong|styled-content|sub|sup|title|tt|u|underline|xref"
)
_TAG_RE = re.compile(rf"</?(?:(?:jats|mml):[a-z][\w.-]*|(?:{_TAG_NAMES}))(?:\s[^<>]*)?/?>", re.IGNORECASE)
_SIGNAL_RE = re.compile(r"[<&$\\{]")
_TAG_SIGNAL_RE = re.compile(r"[<&]")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MATHML_RE = re.compile(r"<(mml:)?math\b[^>]*>.*?</(?:mml:)?math>", re.IGNORECASE | re.DOTALL)
_TEX_MATH_RE = re.compile(r"<(?:jats:)?tex-math\b[^>]*>.*?</(?:jats:)?tex-math>", re.IGNORECASE | re.DOTALL)
_SCRIPT_TAG_RE = re.compile(r"<(sub|sup)>([^<>]{1,12})</\1>", re.IGNORECASE)
# A structured abstract's section as PubMed writes it: <AbstractText Label="METHODS" ...>.
_LABELLED_SECTION_RE = re.compile(r"<AbstractText\b[^<>]*?\bLabel=\"([^\"<>]{1,60})\"[^<>]*>", re.IGNORECASE)
_BLOCK_TAG_RE = re.compile(r"</?(?:jats:)?(?:p|sec|title|list-item|br|div|abstracttext)\b[^<>]*/?>", re.IGNORECASE)
# A formula between $ (or $$) signs: no whitespace just inside the signs, as TeX writes it and prices are not.
_DOLLAR_MATH_RE = re.compile(r"(\${1,2})(?=\S)([^$]{1,200}?)(?<=\S)\1")
_PAREN_MATH_RE = re.compile(r"\\\((.{1,200}?)\\\)")
_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_WORDS_RE = re.compile(r"[A-Za-z]{3,}")
# LaTeX outside math: accents ("\"o", "\'{e}"), text commands with one argument, and {\command ...} groups.
_TEXT_LATEX_RE = re.compile(
    r"\{\\[A-Za-z]+\s[^{}]*\}"
    r"|\\[A-Za-z]+\s*\{[^{}]*\}"
    r"|\\[`'^\"~=.][A-Za-z]|\\[`'^\"~=.]\{[A-Za-z]?\}|\{\\[`'^\"~=.][A-Za-z]\}"
    r"|\\[uvHckr]\{[A-Za-z]\}|\\(?:ss|ae|AE|oe|OE|o|O|l|L|aa|AA|i|j|&|%|#|_)(?![A-Za-z])"
)
# BibTeX's case-keeping braces that a converter left in a title ("the {I}sbell topology").
_CASE_BRACES_RE = re.compile(r"(?<![\\\w^_}])\{([A-Za-z][A-Za-z0-9.\- ]{0,40})\}")
_MACRO_END_RE = re.compile(r"\\[A-Za-z]+\s*$")
_SCRIPT_TEX_RE = re.compile(r"([_^])(?:\{([^{}]{1,12})\}|([A-Za-z0-9+\-=()*]))")
_SUPERSCRIPTS = dict(
    zip("0123456789+-=()*abcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾*ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True)
)
_SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
# Font commands whose letters should read as plain letters, not as Unicode mathematical alphanumerics.
_PLAIN_FONT_RE = re.compile(
    r"\\(?:mathrm|mathtt|mathbf|mathit|mathsf|text|textrm|textup|textmd|textnormal|texttt|textsf|textsc|textit"
    r"|textbf|textsuperscript|textsubscript|emph|underline|operatorname|mbox)\s*\{([^{}]*)\}"
    r"|\{\\(?:em|it|bf|rm|tt|sc|sf|sl|up)\s+([^{}]*)\}"
)
# Text-mode symbols pylatexenc does not know.
_TEXT_SYMBOLS = {
    "textgreater": ">", "textless": "<", "textasciitilde": "~", "textbackslash": "\\", "textbar": "|",
    "textendash": "\u2013", "textemdash": "\u2014", "textquotesingle": "'", "textasciicircum": "^",
    "textregistered": "\u00ae", "texttrademark": "\u2122", "textdegree": "\u00b0", "textperiodcentered": "\u00b7",
}  # fmt: skip
_TEXT_SYMBOL_RE = re.compile(r"\\(" + "|".join(_TEXT_SYMBOLS) + r")(?![A-Za-z])(?:\{\}|\s(?=\S))?")


def decode_markup(text: str, latex: bool = True) -> str:
    """``text`` with HTML, JATS, MathML, entities and (unless ``latex`` is false) LaTeX decoded to plain text.

    Examples
    --------
    >>> formula = "<mml:math><mml:msub><mml:mi>L</mml:mi><mml:mi>p</mml:mi></mml:msub></mml:math>"
    >>> decode_markup(f"<jats:p>We study {formula}.</jats:p>")
    'We study Lₚ.'
    >>> decode_markup("Plain titles stay as they are")
    'Plain titles stay as they are'
    >>> decode_markup("<p>Up to $1.96$ BLEU</p>", latex=False)
    'Up to $1.96$ BLEU'
    """
    if not (_SIGNAL_RE if latex else _TAG_SIGNAL_RE).search(text):
        return text
    decoded = text
    if "<" in decoded:
        decoded = _decode_tags(decoded)
    if "&" in decoded and _ENTITY_RE.search(decoded):
        decoded = html.unescape(decoded)
    if latex and ("$" in decoded or "\\" in decoded or "{" in decoded):
        decoded = _decode_latex(decoded)
    if decoded == text:
        return text
    return " ".join(decoded.split())


def _decode_tags(text: str) -> str:
    """``text`` with MathML rendered, TeX alternatives dropped and known tags removed."""
    if "math" in text.lower():
        if _TEX_MATH_RE.search(text) and _MATHML_RE.search(text):
            text = _TEX_MATH_RE.sub("", text)  # a JATS formula given twice: keep the MathML one
        text = _MATHML_RE.sub(lambda m: _render_mathml(m.group()), text)
    text = _SCRIPT_TAG_RE.sub(lambda m: _scripted(m[2], m[1].lower() == "sup") or m.group(), text)
    text = _LABELLED_SECTION_RE.sub(lambda m: f" {m[1]}: ", text)
    text = _BLOCK_TAG_RE.sub(" ", text)
    return _TAG_RE.sub("", text)


def _render_mathml(source: str) -> str:
    """The text of one MathML formula, with sub- and superscripts in Unicode where they exist."""
    cleaned = re.sub(r"(</?)[A-Za-z]+:", r"\1", source)
    cleaned = re.sub(r"\s(?:xmlns|[A-Za-z]+:[A-Za-z]+)(?::\w+)?=(\"[^\"]*\"|'[^']*')", "", cleaned)
    try:
        root = ElementTree.fromstring(cleaned)
    except ElementTree.ParseError:
        return _TAG_RE.sub("", source)
    return _render_node(root)


def _render_node(node: ElementTree.Element) -> str:
    """One MathML element as text."""
    children = list(node)
    if node.tag in ("msub", "msup") and len(children) == 2:
        base, script = _render_node(children[0]), _render_node(children[1])
        return base + (_scripted(script, node.tag == "msup") or ("_" if node.tag == "msub" else "^") + script)
    if node.tag == "msubsup" and len(children) == 3:
        base, low, high = (_render_node(child) for child in children)
        return base + (_scripted(low, False) or "_" + low) + (_scripted(high, True) or "^" + high)
    if node.tag == "annotation":
        return ""
    if node.tag == "semantics" and children:
        return _render_node(children[0])
    parts = [node.text or ""]
    for child in children:
        parts.append(_render_node(child))
        parts.append(child.tail or "")
    return "".join(parts).strip() if node.tag in ("mi", "mn", "mo", "mtext") else "".join(parts)


def _scripted(text: str, superscript: bool) -> str | None:
    """``text`` as Unicode super- or subscript characters, or None when one of them has none."""
    table = _SUPERSCRIPTS if superscript else _SUBSCRIPTS
    stripped = text.strip()
    if not stripped or any(char not in table for char in stripped):
        return None
    return "".join(table[char] for char in stripped)


def _decode_latex(text: str) -> str:
    """``text`` with formulas and LaTeX accents and text commands decoded; anything unsure kept."""
    text = _CASE_BRACES_RE.sub(lambda m: m[1] if not _MACRO_END_RE.search(text, 0, m.start()) else m.group(), text)
    text = _DOLLAR_MATH_RE.sub(lambda m: _math_span(m.group(2)) or m.group(), text)
    text = _PAREN_MATH_RE.sub(lambda m: _math_span(m.group(1)) or m.group(), text)
    if "\\" in text:
        text = _PLAIN_FONT_RE.sub(lambda m: m[1] if m[1] is not None else m[2], text)
        text = _TEXT_SYMBOL_RE.sub(lambda m: _TEXT_SYMBOLS[m[1]], text)
        text = _TEXT_LATEX_RE.sub(lambda m: _latex_to_text(m.group()) or m.group(), text)
    return text


def _math_span(body: str) -> str | None:
    """One formula's body as text, or None when it looks like prose between two dollar amounts."""
    if "\\" not in body and len(_WORDS_RE.findall(body)) >= 3:
        return None
    body = _SCRIPT_TEX_RE.sub(lambda m: _scripted(m[2] or m[3], m[1] == "^") or m.group(), body)
    return _latex_to_text(f"${body}$")


def _latex_to_text(source: str) -> str | None:
    """pylatexenc's text for ``source``, or None when it holds a command pylatexenc does not know."""
    converter, known = _converter()
    source = _PLAIN_FONT_RE.sub(lambda m: m[1] if m[1] is not None else m[2], source)
    for name in re.findall(r"\\([A-Za-z]+)", source):
        if name not in known:
            return None
    return converter.latex_to_text(_UNESCAPED_PERCENT_RE.sub(r"\\%", source)).strip() or None


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    """A pylatexenc converter that reads math as text, and the command names it knows."""
    from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db
    from pylatexenc.latexwalker import get_default_latex_context_db as walker_db

    # pylatexenc logs a warning for each command used without its arguments ("\\frac12"); the text is kept.
    logging.getLogger("pylatexenc").setLevel(logging.ERROR)
    known: set[str] = set()
    for database in (get_default_latex_context_db(), walker_db()):
        for category in database.categories():
            known.update(spec.macroname for spec in database.iter_macro_specs([category]))
    return LatexNodes2Text(math_mode="text"), frozenset(known)
