#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/ that are not plain copies of repository fixtures:
valid examples from the documentation and the unit tests, and small XLSX workbooks (the
repository has no .xlsx fixtures). Deterministic; run from anywhere: python3 fuzz/make-seeds.py"""
import os, zipfile, io, shutil
root = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(root)
S = lambda *p: os.path.join(root, 'seeds', *p)

def w(target, name, data):
    os.makedirs(S(target), exist_ok=True)
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(S(target, name), mode, **({} if mode == 'wb' else {'encoding': 'utf-8', 'newline': ''})) as f:
        f.write(data)

def cp(target, src, name=None):
    os.makedirs(S(target), exist_ok=True)
    shutil.copy(os.path.join(repo, src), S(target, name or os.path.basename(src)))

for f in ['utgava1-sida1.json', 'utgava1-sida2.json', 'utgava2.json']:
    cp('kolada_json', 'crates/web/tests/data/nyckeltal/' + f)
w('kolada_json', 'robustness.json', '{"values":[{"kpi":"N90001","municipality":"2084","period":2024,"values":[{"gender":"T","value":12.3,"count":1,"status":""},{"gender":"K","value":null,"count":0,"status":"Missing"}]}],"count":1,"next_page":"https://api.kolada.se/v3/data?page=2"}')
w('kolada_json', 'kpi-page.json', '{"values":[{"id":"N90001","title":"Test","description":"","operating_area":"Hälsa","has_ou_data":false,"is_divided_by_gender":true,"municipality_type":"L"}],"count":1}')
w('kolada_json', 'municipality-page.json', '{"values":[{"id":"2084","title":"Avesta","type":"K"},{"id":"0020","title":"Region Dalarna","type":"L"}],"count":2}')

cp('catalogue_toml', 'crates/web/tests/data/nyckeltal/katalog.toml', 'test-katalog.toml')
for f in ['sjalvskattning.toml', 'kartlaggning.toml']:
    cp('form_toml', 'crates/core/forms/' + f)
with open(os.path.join(repo, 'crates/core/forms/sjalvskattning.toml'), encoding='utf-8') as f:
    sj = f.read()
w('form_toml', 'sjalvskattning-med-svar.toml', sj + '\0respondent=Anna\nroll=ledamot\nperspektiv=bada\ndelmal1=3\ndelmal2=4\ndelmal3=2\ndelmal4=5\ndelmal5=1\ntillampat=ja\n')

org_toml = '''[lan]
namn = "Dalarnas län"
region_kod = "0020"
region_namn = "Region Dalarna"
region_beskrivning = "Valfri beskrivning"

[[kommun]]
kod = "2083"
namn = "Hedemora"

[[kommun]]
kod = "2084"
namn = "Avesta"

[[lsl]]
namn = "Södra Dalarna"
kommuner = ["2083", "2084"]

[[organ]]
kod = "lchnv"
namn = "Länschefsnätverket"
kortnamn = "LCHNV"
beskrivning = "Länets chefsnätverk"
'''
w('organisation_toml', 'docs-exempel.toml', org_toml)
w('organisation_csv', 'docs-exempel.csv', 'typ;kod;namn;lsl;kortnamn\nlän;0020;Region Dalarna;;Dalarnas län\nkommun;2083;Hedemora;Södra Dalarna;\nkommun;2084;Avesta;Södra Dalarna;\norgan;lchnv;Länschefsnätverket;;LCHNV\n')
w('organisation_csv', 'bom.csv', '\ufefftyp;kod;namn;lsl;kortnamn\nlän;0099;Region Exempel;;Exempellän\nkommun;9901;Ettby;Norra;\n')

w('manual_csv', 'exempel.csv', '\ufeffnyckeltal;organisation;år;kön;värde\n1.1;0020;2025;T;7,5\n1.1;0020;2024;K;..\n1.2;2084;2025;;12\n\n1.1;0020;2023;M;-\n')
w('manual_csv', 'fel.csv', 'nyckeltal;organisation;år;kön;värde\n9.9;2084;2025;T;1\n4.3;20;2025;X;abc\n4.3;2084;2025;T;1\n4.3;2084;2025;T;2\n')

ekonomi = '\ufeffkommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat\n2084;Avesta;2024;9292;1 894 630;39 273;1 894 630 kr\n2080;Falun;2024;1;4970761;104 547;"5 075 308"\n;;;;;;\n;Summa;;;6 865 391;143 820;6 969 938\n'
w('ekonomi_csv', 'exempel.csv', ekonomi)
w('ekonomi_csv', 'cp1252.csv', 'Ekonomisk redovisning 2024\nkommunkod;år;tilldelat;återbetalt överskott;redovisat förbrukat\n2039;2024;574 666;11 990;586 656\n'.encode('cp1252'))

history = '''år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat
2023;Vansbro;;;;2;2;2;3;2;nej
2023;Mora;;;;3;2,5;3;3,5;2;ja
2024;Vansbro;Vera;ordförande;båda;4;3;3;3;3;ja
2024;Södra Dalarna;Mats;ledamot;kommun;3;3.5;2;3;2;nej
'''
w('sjalvskattning_history', 'exempel.csv', history)

w('answer_forms', 'sjalvskattning.txt', 'csrf=abc\natgard=skicka\nlsl=lsl-mora\nrespondent=Anna\nroll=ledamot\nperspektiv=bada\ndelmal1=3\ndelmal2=2,5\ndelmal3=4\ndelmal4=3\ndelmal5=3\ntillampat=ja\n')
w('answer_forms', 'kommunenkat.txt', 'csrf=abc\nkommun=2084\nar=2024\nomrade=mobila-team\nomrade=fast-omsorgskontakt\nomrade=annat\nannat=  Samverkan kring korttidsboende. \n')
w('answer_forms', 'kartlaggning.txt', 'lsl=Södra Dalarna\nsammankallande_struktur=ja\nsammankallande=Områdessamordnare\nordforande_finns=ja\nordforande=Socialchef Avesta\nmedlemmar=kommun: Förvaltningschef socialtjänst\nmotesfrekvens=2 gånger per termin\nuppdrag=Leda arbetet.\npolsam=ja\npolitisk_representation=nej\nsaknade_aktorer=bup\nsaknade_aktorer=ambulans, vuxenpsykiatri\nbrukarinflytande=ja\nbrukarinflytande_hur=Genom pensionärsråd.\nlokal_plan=pågår\nkommunikationsplan_2083=ja\nkommunikationsplan_2084=nej\nutmaningar=Resurser.\nstodbehov=Mallar.\n')

# Minimal XLSX workbooks (inline strings and numbers), as Excel would read them.
def xlsx(rows, sheet='Blad1', extra_sheets=()):
    def cell(ref, v):
        if v is None or v == '':
            return ''
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        v = v.replace('&', '&amp;').replace('<', '&lt;')
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    def sheet_xml(rows):
        out = []
        for i, r in enumerate(rows, 1):
            cells = ''.join(cell(f'{chr(65 + j)}{i}', v) for j, v in enumerate(r))
            out.append(f'<row r="{i}">{cells}</row>')
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<sheetData>{"".join(out)}</sheetData></worksheet>')
    sheets = [(sheet, rows)] + list(extra_sheets)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        def add(name, text):
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, text)
        add('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + ''.join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1)) + '</Types>')
        add('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        add('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + ''.join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1)) + '</sheets></workbook>')
        add('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + ''.join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)) + '</Relationships>')
        for i, (_, r) in enumerate(sheets, 1):
            add(f'xl/worksheets/sheet{i}.xml', sheet_xml(r))
    return buf.getvalue()

w('manual_xlsx', 'exempel.xlsx', xlsx([['nyckeltal', 'organisation', 'år', 'kön', 'värde'], ['1.1', '0020', 2025, 'T', 7.5], ['1.2', '2084', 2024, '', '..']]))
w('ekonomi_xlsx', 'exempel.xlsx', xlsx([['Ekonomisk redovisning 2024'], [], ['kommunkod', 'kommun', 'år', 'fokusområde', 'tilldelat', 'återbetalt överskott', 'redovisat förbrukat'], [2084, 'Avesta', 2024, 9292, 1894630, 39273, 1894630], ['', 'Summa', '', '', 1894630, 39273, 1894630]],
                                    sheet='Försättsblad', extra_sheets=[('Tabell', [['kommunkod', 'år', 'tilldelat', 'återbetalt överskott', 'redovisat förbrukat'], [2039, 2024, '574 666', 11990, 586656]])]))
w('sjalvskattning_history', 'exempel.xlsx', xlsx([h.split(';') for h in history.strip().split('\n')]))

# The county profile (#20): the built-in profile and the documented example.
cp('lansprofil_toml', 'crates/core/profiles/dalarna.toml')
import re as _re
with open(os.path.join(repo, 'docs/lansprofil.md'), encoding='utf-8') as f:
    w('lansprofil_toml', 'exempel.toml', _re.search(r'## Complete example\n\n```toml\n(.*?)```', f.read(), _re.S).group(1))
# Contacts (#13): the documented example.
with open(os.path.join(repo, 'docs/kontakter.md'), encoding='utf-8') as f:
    w('kontakter_csv', 'exempel.csv', _re.search(r'```[a-z]*\n(organisation;funktion.*?)```', f.read(), _re.S).group(1))
