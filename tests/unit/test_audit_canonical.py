"""The canonical JSON cut around the sequence (what PostgreSQL hashes) is the canonical JSON."""

from hypothesis import given
from hypothesis import strategies as st

from api.services.audit import AuditRecord, canonical, canonical_parts

text = st.text(max_size=40)


@given(actor=text, purpose=st.none() | text, operation=text, subjects=st.lists(text, max_size=4),
       fields=st.lists(text, max_size=4), sequence=st.integers(min_value=1, max_value=2**62))
def test_head_sequence_tail_is_the_canonical_json(actor, purpose, operation, subjects, fields,
                                                  sequence):
    record = AuditRecord(actor=actor, roles=["program_agency"], program="ASD", purpose=purpose,
                         operation=operation, operation_type="query", fields=fields,
                         subjects=subjects, outcome="ALLOWED", error_code=None, request_id="r1",
                         policy_version="v1")
    head, tail = canonical_parts(record)
    assert head + str(sequence) + tail == canonical(sequence, record)


def test_a_value_spelling_the_sequence_key_does_not_move_the_cut():
    trap = ',"sequence":0,"subjects":'
    record = AuditRecord(actor=trap, roles=[trap], program=None, purpose=trap, operation=trap,
                         operation_type="query", fields=[trap], subjects=[trap],
                         outcome="ALLOWED", error_code=None, request_id=trap, policy_version="v")
    head, tail = canonical_parts(record)
    assert head + "7" + tail == canonical(7, record)
