"""camt.053.001.02 statements written for a test, as a bank sends them: payments received,
refunds paid out, and their reversals (RvslInd) and returns (RtrInf, bank code RRTN)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

OUR_IBAN = "DE44500105175407324931"


@dataclass(frozen=True)
class Entry:
    """One entry. amount > 0 is money in. The party is named in its role in the original
    transaction: for a client's payment and its reversal the debtor, for our refund, its
    reversal and its return the creditor (`client_is_debtor` says which)."""

    amount: Decimal | str
    booked: date
    name: str
    iban: str = ""
    reference: str = ""
    end_to_end_id: str = "NOTPROVIDED"
    reversal: bool = False
    return_reason: str = ""  # a return (RtrInf and bank transaction code RRTN) when given
    client_is_debtor: bool = True
    bank_reference: str = ""
    creditor_reference: str = ""  # Strd/CdtrRefInf/Ref (an ISO 11649 RF reference) when given


def _structured(entry: Entry) -> str:
    if not entry.creditor_reference:
        return ""
    return ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>"
            f"<Ref>{escape(entry.creditor_reference)}</Ref></CdtrRefInf></Strd>")


def _entry(entry: Entry, number: int) -> str:
    amount = Decimal(entry.amount)
    side = "Dbtr" if entry.client_is_debtor else "Cdtr"
    party = (f"<{side}><Nm>{escape(entry.name)}</Nm></{side}>"
             + (f"<{side}Acct><Id><IBAN>{entry.iban}</IBAN></Id></{side}Acct>" if entry.iban else ""))
    family = ("PMNT/RCDT/RRTN" if entry.client_is_debtor else "PMNT/ICDT/RRTN") \
        if entry.return_reason else ("PMNT/RCDT/ESCT" if amount > 0 else "PMNT/ICDT/ESCT")
    domain, fam, sub = family.split("/")
    returned = (f"<RtrInf><Rsn><Cd>{entry.return_reason}</Cd></Rsn></RtrInf>"
                if entry.return_reason else "")
    return f"""
      <Ntry>
        <Amt Ccy="EUR">{abs(amount):.2f}</Amt>
        <CdtDbtInd>{"CRDT" if amount > 0 else "DBIT"}</CdtDbtInd>
        {"<RvslInd>true</RvslInd>" if entry.reversal else ""}
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{entry.booked.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{entry.booked.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{entry.bank_reference or f"TEST-{number:04d}"}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{fam}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>{escape(entry.end_to_end_id)}</EndToEndId></Refs>
          <RltdPties>{party}</RltdPties>
          <RmtInf><Ustrd>{escape(entry.reference)}</Ustrd>{_structured(entry)}</RmtInf>
          {returned}
        </TxDtls></NtryDtls>
      </Ntry>"""


def camt053(*entries: Entry, statement_id: str = "STMT-TEST") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>{statement_id}</MsgId><CreDtTm>2031-03-31T18:00:00+02:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_id}</Id>
      <CreDtTm>2031-03-31T18:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>{OUR_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      {"".join(_entry(entry, number) for number, entry in enumerate(entries, 1))}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()
