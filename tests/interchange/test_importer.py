"""Import of small files written for each problem (issue 4 acceptance). Invented names only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kamtui.interchange.importer import ImportOptions, ImportRefusedError, read_files
from kamtui.service import Workbench


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbench]:
    bench = Workbench.open(str(tmp_path / "w.db"), today=lambda: date(2024, 6, 30))
    try:
        yield bench
    finally:
        bench.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(wb: Workbench, sql: str, *args: object) -> list[tuple]:
    with wb.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, args)]


def lines_of(wb: Workbench) -> list[tuple]:
    return rows(
        wb,
        "SELECT a.name, t.day, t.amount, t.product FROM transaction_line t "
        "JOIN account a ON a.id = t.account_id ORDER BY t.id",
    )


# --------------------------------------------------------------------------- encodings
def test_utf8_bom(tmp_path: Path, wb: Workbench) -> None:
    f = write(tmp_path, "bom.csv", "\ufeffaccount,date,amount\r\nZorblax Ltd,2024-03-01,100\r\n")
    report = wb.import_files([f])
    assert report.files[0].encoding == "utf-8-sig"
    assert lines_of(wb) == [("Zorblax Ltd", "2024-03-01", 100.0, None)]


def test_utf16_tab_separated_excel_unicode_text(tmp_path: Path, wb: Workbench) -> None:
    text = "account\tdate\tamount\tproduct\r\nQuillon GmbH\t2024-03-01\t1.5\tWidget ‘Pro’\r\n"
    f = write(tmp_path, "u16.txt", text, "utf-16")
    report = wb.import_files([f])
    assert (report.files[0].encoding, report.files[0].delimiter) == ("utf-16", "\t")
    assert lines_of(wb) == [("Quillon GmbH", "2024-03-01", 1.5, "Widget ‘Pro’")]


def test_cp1252_keeps_typographic_quotes_and_dashes(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount,product\r\nCafé Nørd,2024-03-01,10,“Deluxe” – it’s new\r\n"
    f = write(tmp_path, "win.csv", text, "cp1252")
    report = wb.import_files([f])
    assert report.files[0].encoding == "cp1252"
    assert lines_of(wb) == [("Café Nørd", "2024-03-01", 10.0, "“Deluxe” – it’s new")]


# --------------------------------------------------------------------------- values
def test_semicolon_and_decimal_comma(tmp_path: Path, wb: Workbench) -> None:
    text = "Account;Date;Amount\nBrimley AG;15.03.2024;1.234,50\nBrimley AG;16.03.2024;-7,25\n"
    f = write(tmp_path, "eu.csv", text)
    report = wb.import_files([f])
    assert report.files[0].delimiter == ";"
    assert lines_of(wb) == [
        ("Brimley AG", "2024-03-15", 1234.5, None),
        ("Brimley AG", "2024-03-16", -7.25, None),
    ]


def test_currency_strings_parentheses_and_scientific(tmp_path: Path, wb: Workbench) -> None:
    text = (
        "account,date,amount\n"
        'Vexor Inc,2024-01-02,"$45,000.00"\n'
        'Vexor Inc,2024-01-03,"(1,200.50)"\n'
        "Vexor Inc,2024-01-04,-1200.5\n"
        "Vexor Inc,2024-01-05,1.2E4\n"
        "Vexor Inc,2024-01-06,45000\n"
        'Vexor Inc,2024-01-07,"45,000.00"\n'
    )
    wb.import_files([write(tmp_path, "money.csv", text)])
    assert [r[2] for r in lines_of(wb)] == [45000.0, -1200.5, -1200.5, 12000.0, 45000.0, 45000.0]


def test_euro_amounts_with_symbol(tmp_path: Path, wb: Workbench) -> None:
    text = 'account;date;amount\nOrlan SA;2024-01-02;45.000,00 €\nOrlan SA;2024-01-03;"(12,50 €)"\n'
    wb.import_files([write(tmp_path, "eur.csv", text)])
    assert [r[2] for r in lines_of(wb)] == [45000.0, -12.5]


def test_missing_amounts_are_reported_with_line_numbers(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\nA1 Co,2024-01-02,5\nA1 Co,2024-01-03,N/A\nA1 Co,2024-01-04,\n"
    with pytest.raises(ImportRefusedError) as err:
        wb.import_files([write(tmp_path, "na.csv", text)])
    problems = [str(p) for p in err.value.report.errors]
    assert problems == [
        "na.csv, line 3: amount is 'N/A' (missing value)",
        "na.csv, line 4: amount is empty",
    ]
    assert wb.account_count() == 0


def test_ids_stay_strings(tmp_path: Path, wb: Workbench) -> None:
    text = "account,account id,date,amount,id\nZeno Ltd,000123,2024-01-02,5,0042\n"
    wb.import_files([write(tmp_path, "ids.csv", text)])
    assert rows(wb, "SELECT external_id FROM account") == [("000123",)]
    assert rows(wb, "SELECT external_id, dedupe_key FROM transaction_line") == [
        ("0042", "billing:0042")
    ]


# --------------------------------------------------------------------------- dates
def test_ambiguous_day_month_stops_and_asks(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\nKappa Co,01/02/2024,1\nKappa Co,03/04/2024,2\n"
    f = write(tmp_path, "amb.csv", text)
    with pytest.raises(ImportRefusedError, match="--dayfirst or --monthfirst") as err:
        wb.import_files([f])
    assert err.value.report.errors[0].line == 1
    assert wb.account_count() == 0
    wb.import_files([f], dayfirst=True)
    assert [r[1] for r in lines_of(wb)] == ["2024-02-01", "2024-04-03"]


def test_ambiguous_column_with_monthfirst(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\nKappa Co,01/02/2024,1\n"
    wb.import_files([write(tmp_path, "amb.csv", text)], dayfirst=False)
    assert [r[1] for r in lines_of(wb)] == ["2024-01-02"]


def test_unambiguous_day_first_and_month_first(tmp_path: Path, wb: Workbench) -> None:
    dmy = "account,date,amount\nLoom Co,25/12/2023,1\nLoom Co,01/02/2024 14:30,2\n"
    mdy = "account,date,amount\nMoor Co,12/25/2023,1\nMoor Co,01/02/2024,2\n"
    report = wb.import_files([write(tmp_path, "dmy.csv", dmy), write(tmp_path, "mdy.csv", mdy)])
    assert report.files[0].date_formats == {"date": "D/M/YYYY"}
    assert report.files[1].date_formats == {"date": "M/D/YYYY"}
    assert [r[1] for r in lines_of(wb)] == ["2023-12-25", "2024-02-01", "2023-12-25", "2024-01-02"]


def test_one_date_format_per_column(tmp_path: Path) -> None:
    text = "account,date,amount\nNox Co,2024-01-02,1\nNox Co,2024-01-03,1\nNox Co,03.01.2024,1\n"
    plan = read_files([write(tmp_path, "mixed.csv", text)])
    assert [str(p) for p in plan.errors] == [
        "mixed.csv, line 4: date: '03.01.2024' is not in the column's format YYYY-MM-DD"
    ]


# --------------------------------------------------------------------------- structure
def test_blank_and_comma_only_rows_are_skipped_and_counted(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\n\nOmni Co,2024-01-02,1\n,,\n , ,\nOmni Co,2024-01-03,2\n\n"
    report = wb.import_files([write(tmp_path, "blank.csv", text)])
    assert report.files[0].blank_rows == 4
    assert report.files[0].rows_read == 2
    assert len(lines_of(wb)) == 2


def test_quoted_fields_with_delimiters_and_newlines_keep_line_numbers(tmp_path: Path) -> None:
    text = (
        "account,date,amount,product\n"
        '"Pell, Pell & Co",2024-01-02,1,"two\nline product"\n'
        '"Pell, Pell & Co",2024-01-03,oops,x\n'
    )
    plan = read_files([write(tmp_path, "quoted.csv", text)])
    assert [str(p) for p in plan.errors] == ["quoted.csv, line 4: amount: 'oops' is not a number"]
    plan = read_files([write(tmp_path, "q2.csv", text.replace("oops", "2"))])
    assert plan.ok
    assert plan.refs == [(None, "Pell, Pell & Co")]
    assert plan.transactions[0][3] == "two\nline product"


SALESFORCE_OPPS = """\
"Opportunity Name","Account Name","Stage","Amount Currency","Amount","Close Date","Opportunity ID"
"Renewal 2024","Trellis Corp","Closed Won","USD","12,500.00","3/15/2024","0061x00000AbCdE"
"Upsell","Trellis Corp","Negotiation/Review","USD","","4/30/2024","0061x00000AbCdF"
"Lost one","Wexley Ltd","Closed Lost","EUR","0.00","2/13/2024","0061x00000AbCdG"

"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."
"Confidential Information - Do Not Distribute"
"Generated By:  Pat Example  4/1/2024 10:23 AM"
"Example Org Inc."
"""


def test_salesforce_report_trailer_dropped_and_stages(tmp_path: Path, wb: Workbench) -> None:
    report = wb.import_files([write(tmp_path, "report1234.csv", SALESFORCE_OPPS)])
    f = report.files[0]
    assert (f.profile, f.trailer_lines, f.rows_read) == ("salesforce-opportunities", 4, 3)
    opps = rows(
        wb,
        "SELECT external_id, stage, stage_label, amount, close_date FROM opportunity ORDER BY id",
    )
    assert opps == [
        ("0061x00000AbCdE", "won", "Closed Won", 12500.0, "2024-03-15"),
        ("0061x00000AbCdF", "open", "Negotiation/Review", None, "2024-04-30"),
        ("0061x00000AbCdG", "lost", "Closed Lost", 0.0, "2024-02-13"),
    ]
    assert rows(wb, "SELECT day, amount, source, external_id FROM transaction_line") == [
        ("2024-03-15", 12500.0, "crm-won", "0061x00000AbCdE")
    ]


def test_salesforce_accounts_report(tmp_path: Path, wb: Workbench) -> None:
    text = (
        '"Account Name","Account ID","Account Owner","Industry","Annual Revenue Currency",'
        '"Annual Revenue","Billing Country","Parent Account"\n'
        '"Halcyon Group","0011x000001","Sam Doe","Retail","USD","2,000,000.00","France",""\n'
        '"Halcyon Retail","0011x000002","Sam Doe","Retail","USD","","France","Halcyon Group"\n'
        "\n"
        '"Confidential Information - Do Not Distribute"\n'
    )
    report = wb.import_files([write(tmp_path, "accts.csv", text)])
    assert report.files[0].profile == "salesforce-accounts"
    got = rows(
        wb,
        "SELECT a.name, a.external_id, a.company_revenue, a.country, p.name FROM account a "
        "LEFT JOIN account p ON p.id = a.parent_id ORDER BY a.id",
    )
    assert got == [
        ("Halcyon Group", "0011x000001", 2000000.0, "France", None),
        ("Halcyon Retail", "0011x000002", None, "France", "Halcyon Group"),
    ]


def test_hubspot_deals_with_internal_stage_ids(tmp_path: Path, wb: Workbench) -> None:
    text = (
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company\n"
        "9001,Pilot,closedwon,5000,2024-02-01 00:00,Umbra Labs\n"
        "9002,Expansion,appointmentscheduled,,,Umbra Labs\n"
        "9003,Old,Closed Lost,100,2024-01-10,Umbra Labs\n"
    )
    report = wb.import_files([write(tmp_path, "hubspot-deals.csv", text)])
    assert report.files[0].profile == "hubspot-deals"
    assert rows(wb, "SELECT external_id, stage FROM opportunity ORDER BY id") == [
        ("9001", "won"),
        ("9002", "open"),
        ("9003", "lost"),
    ]
    assert lines_of(wb) == [("Umbra Labs", "2024-02-01", 5000.0, None)]


def test_hubspot_companies(tmp_path: Path, wb: Workbench) -> None:
    text = (
        "Record ID,Company name,Industry,Number of Employees,Country/Region\n"
        "77,Tessel AB,Software,120,Sweden\n"
    )
    report = wb.import_files([write(tmp_path, "companies.csv", text)])
    assert report.files[0].profile == "hubspot-companies"
    assert rows(wb, "SELECT name, external_id, employees, country FROM account") == [
        ("Tessel AB", "77", 120, "Sweden")
    ]


# --------------------------------------------------------------------------- accounts
def test_same_name_different_ids_stay_two_accounts(tmp_path: Path, wb: Workbench) -> None:
    text = "name,external id,industry\nAcme Corp,0011,Retail\nAcme Corp,0012,Energy\n"
    report = wb.import_files([write(tmp_path, "accounts.csv", text)])
    assert rows(wb, "SELECT name, external_id, industry FROM account ORDER BY id") == [
        ("Acme Corp", "0011", "Retail"),
        ("Acme Corp (ext 0012)", "0012", "Energy"),
    ]
    assert any("Acme Corp (ext 0012)" in note for note in report.notes)
    again = wb.import_files([write(tmp_path, "accounts.csv", text)])
    assert again.counts["accounts"].created == 0
    assert wb.account_count() == 2


def test_same_id_with_a_name_variant_stays_one(tmp_path: Path, wb: Workbench) -> None:
    wb.import_files([write(tmp_path, "a.csv", "name,external id,region\nAcme Corp,0011,EMEA\n")])
    report = wb.import_files(
        [write(tmp_path, "b.csv", "name,external id,region\nACME Corporation,0011,APAC\n")]
    )
    assert rows(wb, "SELECT name, external_id, region FROM account") == [
        ("Acme Corp", "0011", "APAC")
    ]
    assert report.counts["accounts"].updated == 1


def test_transactions_create_unknown_accounts(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\nNew One,2024-01-02,1\nnew one,2024-01-03,1\nNew Two,2024-01-03,1\n"
    report = wb.import_files([write(tmp_path, "t.csv", text)])
    assert rows(wb, "SELECT name FROM account ORDER BY id") == [("New One",), ("New Two",)]
    assert report.counts["accounts"].created == 2
    assert wb.account_summary(wb.find_account("New One")).frequency == 2  # both spellings


# --------------------------------------------------------------------------- all or nothing
def test_bad_row_in_the_middle_writes_nothing(tmp_path: Path, wb: Workbench) -> None:
    good = write(tmp_path, "good.csv", "account,date,amount\nFirst Co,2024-01-02,1\n")
    text = "".join(f"Rho Co,2024-01-{d:02d},{d}\n" for d in range(1, 6))
    text = "account,date,amount\n" + text + "Rho Co,2024-01-07,12x\n" + text.replace("-01-", "-02-")
    bad = write(tmp_path, "bad.csv", text)
    with pytest.raises(ImportRefusedError) as err:
        wb.import_files([good, bad])
    assert str(err.value) == "nothing imported: bad.csv, line 7: amount: '12x' is not a number"
    assert wb.account_count() == 0
    assert rows(wb, "SELECT COUNT(*) FROM transaction_line") == [(0,)]


def test_unrecognised_headers_say_how_to_map(tmp_path: Path, wb: Workbench) -> None:
    f = write(tmp_path, "odd.csv", "foo,bar\n1,2\n")
    with pytest.raises(ImportRefusedError, match="--map"):
        wb.import_files([f])


def test_unreadable_file_is_one_problem(tmp_path: Path, wb: Workbench) -> None:
    with pytest.raises(ImportRefusedError, match=r"cannot read|no such"):
        wb.import_files([tmp_path / "missing.csv"])


def test_dry_run_counts_and_changes_nothing(tmp_path: Path, wb: Workbench) -> None:
    f = write(
        tmp_path, "t.csv", "account,date,amount\nDelta Co,2024-01-02,1\nDelta Co,2024-01-03,2\n"
    )
    report = wb.import_files([f], dry_run=True)
    assert report.dry_run and not report.applied
    assert (report.counts["accounts"].created, report.counts["transactions"].created) == (1, 2)
    assert wb.account_count() == 0


# --------------------------------------------------------------------------- re-imports
def test_reimport_adds_nothing_and_keeps_identical_lines(tmp_path: Path, wb: Workbench) -> None:
    text = (
        "account,date,amount\n"
        "Sigma Co,2024-01-02,10\nSigma Co,2024-01-02,10\nSigma Co,2024-01-03,5\n"
    )
    f = write(tmp_path, "t.csv", text)
    first = wb.import_files([f])
    assert first.counts["transactions"].created == 3  # two identical purchases are two lines
    again = wb.import_files([f])
    assert (again.counts["transactions"].created, again.counts["transactions"].unchanged) == (0, 3)
    assert again.account_ids == set()
    assert len(lines_of(wb)) == 3
    # A later export with one more identical line adds exactly that line.
    f2 = write(tmp_path, "t2.csv", text + "Sigma Co,2024-01-02,10\n")
    assert wb.import_files([f2]).counts["transactions"].created == 1
    assert len(lines_of(wb)) == 4


def test_reimport_by_external_id_updates(tmp_path: Path, wb: Workbench) -> None:
    wb.import_files(
        [write(tmp_path, "a.csv", "account,date,amount,id\nTau Co,2024-01-02,10,INV-1\n")]
    )
    report = wb.import_files(
        [write(tmp_path, "b.csv", "account,date,amount,id\nTau Co,2024-01-02,12.5,INV-1\n")]
    )
    assert report.counts["transactions"].updated == 1
    assert lines_of(wb) == [("Tau Co", "2024-01-02", 12.5, None)]


def test_scores_follow_the_import(tmp_path: Path, wb: Workbench) -> None:
    text = "account,date,amount\n" + "".join(
        f"Omega Co,2024-{m:02d}-10,5000\n" for m in range(1, 7)
    )
    report = wb.import_files([write(tmp_path, "t.csv", text)])
    assert report.rescored == 1
    s = wb.account_summary(wb.find_account("Omega Co"))
    assert (s.frequency, s.monetary, s.r) == (6, 30000.0, 5)


# --------------------------------------------------------------------------- other kinds
def test_stakeholders_and_kpis(tmp_path: Path, wb: Workbench) -> None:
    people = (
        "account,name,title,role,influence,attitude,reports to\n"
        "Ypsilon AG,Dana Quill,CFO,Economic buyer,5,1,\n"
        "Ypsilon AG,Eli Marsh,IT lead,champion,3,2,Dana Quill\n"
    )
    kpis = (
        "account,period,metric,value\nYpsilon AG,2024-Q1,nps,42\nYpsilon AG,2024-03,logins,1200\n"
    )
    report = wb.import_files(
        [write(tmp_path, "people.csv", people), write(tmp_path, "kpi.csv", kpis)]
    )
    assert [f.profile for f in report.files] == ["generic-stakeholders", "generic-kpis"]
    got = rows(
        wb,
        "SELECT s.name, s.role, s.influence, s.attitude, r.name FROM stakeholder s "
        "LEFT JOIN stakeholder r ON r.id = s.reports_to_id ORDER BY s.id",
    )
    assert got == [
        ("Dana Quill", "economic_buyer", 5, 1, None),
        ("Eli Marsh", "champion", 3, 2, "Dana Quill"),
    ]
    assert rows(wb, "SELECT period, metric, value FROM kpi_reading ORDER BY id") == [
        ("2024-Q1", "nps", 42.0),
        ("2024-03", "logins", 1200.0),
    ]
    again = wb.import_files(
        [write(tmp_path, "people.csv", people), write(tmp_path, "kpi.csv", kpis)]
    )
    assert again.counts["stakeholders"].unchanged == 2
    assert again.counts["kpis"].unchanged == 2


def test_mapping_file_saved_and_reused(tmp_path: Path, wb: Workbench) -> None:
    from kamtui.interchange.profiles import save_mapping

    mapping = tmp_path / "billing.toml"
    mapping.write_text(
        'kind = "transactions"\n[columns]\naccount = "Kunde"\ndate = "Rechnungsdatum"\n'
        'amount = "Netto"\nid = "Rechnung"\n[options]\ndayfirst = true\n',
        encoding="utf-8",
    )
    f = write(
        tmp_path,
        "rechnungen.csv",
        "Kunde;Rechnungsdatum;Netto;Rechnung\nPhi GmbH;01/02/2024;1.000,00;R-1\n",
    )
    wb.import_files([f], mapping=str(mapping))
    assert lines_of(wb) == [("Phi GmbH", "2024-02-01", 1000.0, None)]
    import tomllib

    saved = save_mapping(tomllib.loads(mapping.read_text()), "rechnungen")
    assert saved.exists()
    again = wb.import_files([f], mapping="rechnungen")
    assert again.counts["transactions"].unchanged == 1


def test_bad_mapping_is_one_problem(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('kind = "transactions"\n[columns]\nfoo = "x"\n', encoding="utf-8")
    plan = read_files([tmp_path / "x.csv"], ImportOptions(mapping=mapping))
    assert "unknown transactions field(s) foo" in str(plan.errors[0])


def test_excel_sep_hint_line(tmp_path: Path, wb: Workbench) -> None:
    f = write(
        tmp_path,
        "sep.csv",
        "sep=;\r\naccount;date;amount\r\nChi Co;2024-01-02;1,5\r\nChi Co;x;1\r\n",
    )
    with pytest.raises(ImportRefusedError, match="line 4"):
        wb.import_files([f])
    f.write_text("sep=;\r\naccount;date;amount\r\nChi Co;2024-01-02;1,5\r\n", encoding="utf-8")
    wb.import_files([f])
    assert lines_of(wb) == [("Chi Co", "2024-01-02", 1.5, None)]


def test_utf16_without_bom(tmp_path: Path, wb: Workbench) -> None:
    f = tmp_path / "nobom.txt"
    f.write_bytes("account\tdate\tamount\r\nPsi Co\t2024-01-02\t3\r\n".encode("utf-16-le"))
    report = wb.import_files([f])
    assert report.files[0].encoding == "utf-16-le"
    assert lines_of(wb) == [("Psi Co", "2024-01-02", 3.0, None)]


def test_deal_no_longer_won_loses_its_transaction(tmp_path: Path, wb: Workbench) -> None:
    head = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company\n"
    wb.import_files(
        [write(tmp_path, "d1.csv", head + "9001,Pilot,closedwon,5000,2024-02-01,Mu Co\n")]
    )
    assert len(lines_of(wb)) == 1
    report = wb.import_files(
        [write(tmp_path, "d2.csv", head + "9001,Pilot,closedlost,5000,2024-02-01,Mu Co\n")]
    )
    assert report.counts["transactions"].deleted == 1
    assert report.counts["opportunities"].updated == 1
    assert lines_of(wb) == []
    assert wb.account_summary(wb.find_account("Mu Co")).monetary == 0


def test_saved_mapping_is_recognised_without_flags(tmp_path: Path, wb: Workbench) -> None:
    from kamtui.interchange.profiles import save_mapping

    data = {
        "kind": "transactions",
        "columns": {"account": "Client", "date": "Booked", "amount": "Net EUR"},
    }
    save_mapping(data, "erp")
    f = write(tmp_path, "erp.csv", "Client,Booked,Net EUR,Memo\nLambda Co,2024-01-02,9,x\n")
    report = wb.import_files([f])
    assert report.files[0].profile == "map:erp"
    assert lines_of(wb) == [("Lambda Co", "2024-01-02", 9.0, None)]


def test_renamed_mapping_does_not_duplicate_lines(tmp_path: Path, wb: Workbench) -> None:
    from kamtui.interchange.profiles import save_mapping

    text = 'kind = "transactions"\n[columns]\naccount = "Who"\ndate = "When"\namount = "How much"\n'
    first = tmp_path / "first.toml"
    first.write_text(text, encoding="utf-8")
    f = write(tmp_path, "x.csv", "Who,When,How much\nMu Co,2024-01-02,4\nMu Co,2024-01-02,4\n")
    assert wb.import_files([f], mapping=str(first)).counts["transactions"].created == 2
    import tomllib

    save_mapping(tomllib.loads(text), "other-name")
    again = wb.import_files([f])  # recognised through the saved mapping
    assert (again.counts["transactions"].created, again.counts["transactions"].unchanged) == (0, 2)


def test_account_types_become_statuses(tmp_path: Path, wb: Workbench) -> None:
    text = (
        '"Account Name","Account Owner","Type"\n'
        '"Rho One","Sam","Customer - Direct"\n'
        '"Rho Two","Sam","Prospect"\n'
        '"Rho Three","Sam","Technology Partner"\n'
    )
    report = wb.import_files([write(tmp_path, "sf.csv", text)])
    assert rows(wb, "SELECT name, status FROM account ORDER BY id") == [
        ("Rho One", "active"),
        ("Rho Two", "prospect"),
        ("Rho Three", "active"),  # unknown type: left at the default, with a warning
    ]
    assert [w.line for w in report.warnings] == [4]


def test_an_id_only_file_matches_an_account_of_that_name_without_an_id(tmp_path) -> None:
    from kamtui.service import Workbench

    with Workbench.open(str(tmp_path / "w.db")) as bench:
        zoomit = bench.add_account("Zoomit").created_id
        f = tmp_path / "z.csv"
        f.write_text("customer_id,date,amount\nZoomit,2017-03-14,500\n")
        report = bench.import_files([f])
        assert report.counts["accounts"].created == 0
        assert bench.account_count() == 1
        assert bench.account(zoomit).external_id == "Zoomit"
        with bench.engine.connect() as conn:
            lines = conn.exec_driver_sql("SELECT account_id FROM transaction_line").all()
        assert lines == [(zoomit,)]
