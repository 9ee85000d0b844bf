"""Reading instrument definitions: words for stored levels."""

from __future__ import annotations


def test_level_label_reads_bands_and_cut_offs_from_the_definitions():
    """The words for a stored level come from the definition, in both languages: a band of
    DJG-6, the cut-off meaning of UCLA-3 (which has no bands), nothing for an unknown one."""
    from verbind.core.instrument import get_instrument

    djg6, ucla3 = get_instrument("djg6"), get_instrument("ucla3")
    assert djg6.level_label("moderately_lonely").nl == "matig eenzaam"
    assert djg6.level_label("severely_lonely").en == "severely lonely"
    assert ucla3.level_label("lonely").nl == "eenzaam"
    assert ucla3.level_label("not_lonely").en == "not lonely"
    assert djg6.level_label("no_such_level") is None
    assert djg6.level_label("") is None and djg6.level_label(None) is None
