"""The public statement and journal: totals per commune and per donor, anonymity honoured, CSV for audit."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from campaign_ledger.domain.accounts import Unit
from campaign_ledger.domain.donors import ANONYMOUS_DONOR, ANONYMOUS_DONOR_VI, Donor, DonorKind
from campaign_ledger.domain.ledger import TrialBalance
from campaign_ledger.domain.public_journal import journal_csv
from campaign_ledger.domain.statement import CommuneTotals, StatementProjection

PILOT_COMMUNES = ("01837", "02017", "01912", "02071", "02122", "01951", "02173", "01870")
SONG_CAU = PILOT_COMMUNES[0]
PHONE_PRICE_VND = 1_900_000
HIDDEN_NAME = "Nguyễn Thị Kín Đáo"


def test_a_pledge_a_receipt_an_allocation_and_a_delivery_are_counted_apart(office) -> None:
    pledge_id = office.pledge(amount_vnd=9_500_000)
    office.receive(reference="FT1", amount_vnd=5_700_000, pledge_id=pledge_id)
    office.buy(amount_vnd=5_700_000, phones=3)
    office.allocate(SONG_CAU, 2)
    office.deliver(SONG_CAU, "hh-1")

    s = office.statement()
    assert (s.pledged_vnd, s.received_vnd, s.spent_vnd, s.cash_vnd) == (9_500_000, 5_700_000, 5_700_000, 0)
    assert s.pledges_outstanding_vnd == 3_800_000
    assert (s.phones_purchased, s.phones_allocated, s.phones_delivered) == (3, 2, 1)
    assert (s.phones_in_stock, s.phones_in_central_stock) == (2, 1)
    assert s.by_commune[0] == CommuneTotals(SONG_CAU, phones_allocated=2, phones_delivered=1, phones_in_stock=1)
    assert s.by_commune[1] == CommuneTotals(PILOT_COMMUNES[1], 0, 0, 0)


def test_the_statement_kept_up_event_by_event_equals_the_one_replayed(office) -> None:
    projection = StatementProjection()
    for event in office.events:
        projection.apply(event)
    office.stock_phones(4)
    office.allocate(SONG_CAU, 3)
    office.deliver(SONG_CAU, "hh-1")
    for event in office.events[projection.version :]:
        projection.apply(event)

    assert projection.statement() == office.statement()
    assert projection.statement().version == len(office.events)


def test_an_anonymous_donor_appears_in_the_statement_only_as_anonymous(office) -> None:
    donor = Donor(HIDDEN_NAME, DonorKind.INDIVIDUAL, anonymous=True)
    pledge_id = office.pledge(donor, amount_vnd=10_000_000)
    office.receive(reference="FT1", amount_vnd=10_000_000, pledge_id=pledge_id)

    statement = office.statement()
    (row,) = statement.by_donor
    assert (row.donor, row.donor_vi, row.kind, row.anonymous) == (
        ANONYMOUS_DONOR,
        ANONYMOUS_DONOR_VI,
        DonorKind.INDIVIDUAL,
        True,
    )
    assert (row.pledged_vnd, row.received_vnd) == (10_000_000, 10_000_000)
    assert HIDDEN_NAME not in repr(statement)


def test_an_anonymous_donor_appears_in_the_public_journal_only_as_anonymous(office) -> None:
    donor = Donor(HIDDEN_NAME, DonorKind.ENTERPRISE, anonymous=True)
    pledge_id = office.pledge(donor, amount_vnd=10_000_000)
    office.receive(reference="FT1", amount_vnd=10_000_000, pledge_id=pledge_id)
    office.reverse("JE-000002", reason="transfer returned")

    journal = office.journal()
    text = journal_csv(journal.lines())
    assert HIDDEN_NAME not in text
    assert HIDDEN_NAME not in repr(journal)
    assert {line.donor for line in journal.lines()} == {ANONYMOUS_DONOR}
    assert {line.donor_vi for line in journal.lines()} == {ANONYMOUS_DONOR_VI}


def test_named_donors_are_shown_by_name_and_totalled_over_their_gifts(office) -> None:
    viettel_like = Donor("Công ty CP Viễn thông Minh Phát", DonorKind.ENTERPRISE)
    first = office.pledge(viettel_like, amount_vnd=50_000_000)
    second = office.pledge(viettel_like, phones=10)
    office.receive(reference="FT1", amount_vnd=50_000_000, pledge_id=first)
    office.receive(reference="PXK-01", phones=10, pledge_id=second)
    office.receive(reference="FT2", amount_vnd=2_000_000, donor=Donor("Hoàng Văn Nam", DonorKind.INDIVIDUAL))

    rows = {(row.donor, row.kind): row for row in office.statement().by_donor}
    company = rows[("Công ty CP Viễn thông Minh Phát", DonorKind.ENTERPRISE)]
    assert (company.pledged_vnd, company.pledged_phones, company.received_vnd, company.received_phones) == (
        50_000_000,
        10,
        50_000_000,
        10,
    )
    assert rows[("Hoàng Văn Nam", DonorKind.INDIVIDUAL)].received_vnd == 2_000_000
    assert office.statement().by_donor[0].donor == "Công ty CP Viễn thông Minh Phát"


def test_money_that_arrived_without_a_pledge_or_a_name_is_from_an_anonymous_donor(office) -> None:
    office.receive(reference="FT1", amount_vnd=500_000)

    (row,) = office.statement().by_donor
    assert (row.donor, row.kind, row.received_vnd, row.pledged_vnd) == (ANONYMOUS_DONOR, None, 500_000, 0)


def test_the_journal_as_csv_has_every_posting_and_every_entry_balances(office) -> None:
    pledge_id = office.pledge(amount_vnd=3_800_000, phones=1)
    office.receive(reference="FT1", amount_vnd=3_800_000, phones=1, pledge_id=pledge_id)
    office.buy(amount_vnd=3_800_000, phones=2)
    office.allocate(SONG_CAU, 3)
    office.deliver(SONG_CAU, "hh-7f3a")

    text = journal_csv(office.journal().lines())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert text.startswith("entry_id,date,kind,reference,reverses,memo,donor,donor_vi,donor_kind,account,unit,")
    assert "\r\n" in text
    assert len(rows) == sum(len(e.postings) for e in office.campaign.ledger.entries)
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        sums[(row["entry_id"], row["unit"])][0] += int(row["debit"])
        sums[(row["entry_id"], row["unit"])][1] += int(row["credit"])
    assert all(debit == credit for debit, credit in sums.values())
    assert {row["entry_id"] for row in rows} == {f"JE-{n:06d}" for n in range(1, 6)}
    # Beneficiaries stay private: the public journal counts phones per commune and never names a household.
    assert "hh-7f3a" not in text


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(office) -> None:
    office.receive(reference="FT1", amount_vnd=1_900_000)
    office.buy(amount_vnd=1_900_000, phones=1, supplier='=HYPERLINK("http://evil.example","click")')
    office.reverse("JE-000002", reason="@SUM(1+1)")

    rows = list(csv.DictReader(io.StringIO(journal_csv(office.journal().lines()), newline="")))
    memos = {row["memo"] for row in rows}
    assert "'@SUM(1+1)" in memos
    assert all(not memo.startswith(("=", "@", "+", "-")) for memo in memos)


def test_the_statement_at_the_real_campaigns_scale(office) -> None:
    # About 750,000,000 VND from a mix of enterprises, organisations and individuals, some anonymous, and
    # 10 phones given in kind; the money buys 390 phones at 1,900,000 VND: 400 phones for 8 communes.
    gifts = [
        (Donor("Công ty CP Viễn thông Minh Phát", DonorKind.ENTERPRISE), 150_000_000),
        (Donor("Ngân hàng TMCP Sông Cầu", DonorKind.ENTERPRISE), 120_000_000),
        (Donor("Công ty TNHH Xây dựng Ba Bể", DonorKind.ENTERPRISE), 100_000_000),
        (Donor("Tổng công ty Điện lực Núi Cốc", DonorKind.ENTERPRISE), 80_000_000),
        (Donor("Công ty CP Khoáng sản Chợ Đồn", DonorKind.ENTERPRISE), 60_000_000),
        (Donor("", DonorKind.ENTERPRISE, anonymous=True), 30_000_000),
        (Donor("Ủy ban MTTQ tỉnh Bắc Kạn", DonorKind.ORGANISATION), 50_000_000),
        (Donor("Hội Chữ thập đỏ tỉnh Bắc Kạn", DonorKind.ORGANISATION), 40_000_000),
        (Donor("Tỉnh đoàn Bắc Kạn", DonorKind.ORGANISATION), 30_000_000),
        *[(Donor(f"Cán bộ Sở TT&TT số {n}", DonorKind.INDIVIDUAL), 2_000_000) for n in range(1, 31)],
        *[(Donor(f"{HIDDEN_NAME} {n}", DonorKind.INDIVIDUAL, anonymous=True), 3_000_000) for n in range(1, 11)],
    ]
    for number, (donor, amount) in enumerate(gifts, start=1):
        pledge_id = office.pledge(donor, amount_vnd=amount)
        office.receive(reference=f"FT2308{number:07d}", amount_vnd=amount, pledge_id=pledge_id)
    in_kind = office.pledge(Donor("Công ty CP Viễn thông Minh Phát", DonorKind.ENTERPRISE), phones=10)
    office.receive(reference="PXK-2023-0001", phones=10, pledge_id=in_kind)
    for _ in range(3):
        office.buy(amount_vnd=130 * PHONE_PRICE_VND, phones=130)
    for commune in PILOT_COMMUNES:
        office.allocate(commune, 50)
        for household in range(45):
            office.deliver(commune, f"{commune}-hh-{household:03d}")
    office.close()

    s = office.statement()
    assert (s.pledged_vnd, s.received_vnd, s.spent_vnd, s.cash_vnd) == (
        750_000_000,
        750_000_000,
        741_000_000,
        9_000_000,
    )
    assert (s.phones_pledged, s.phones_received, s.phones_purchased) == (10, 10, 390)
    assert (s.phones_allocated, s.phones_delivered, s.phones_in_stock, s.phones_in_central_stock) == (400, 360, 40, 0)
    assert s.by_commune == tuple(CommuneTotals(code, 50, 45, 5) for code in PILOT_COMMUNES)
    assert (s.progress_vnd_percent, s.progress_phones_percent) == (100.0, 90.0)
    assert sum(row.received_vnd for row in s.by_donor) == 750_000_000
    assert sum(row.received_phones for row in s.by_donor) == 10
    anonymous = [row for row in s.by_donor if row.anonymous]
    assert {(row.kind, row.received_vnd) for row in anonymous} == {
        (DonorKind.ENTERPRISE, 30_000_000),
        (DonorKind.INDIVIDUAL, 30_000_000),
    }
    assert HIDDEN_NAME not in repr(s)
    assert not s.is_open
    assert TrialBalance.of(office.campaign.ledger.entries).is_balanced()
    assert TrialBalance.of(office.campaign.ledger.entries).difference(Unit.PHONE) == 0
    assert office.journal().entries[-1].entry.entry_id == office.campaign.ledger.entries[-1].entry_id
