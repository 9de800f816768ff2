"""News agencies, as they sign: a one-word author of a wire story, and the origin of a text
that closes with their mark ("(dpa)")."""

from __future__ import annotations

__all__ = ["AGENCIES"]

# casefolded name -> the agency's own spelling
AGENCIES = {name.casefold(): name for name in (
    "AFP", "AP", "dpa", "Reuters", "ANTARA", "Bernama", "Xinhua", "Kyodo", "ANSA", "EFE", "APA",
    "SDA", "KNA", "epd", "KAP", "UPI", "TASS", "RIA Novosti", "Yonhap", "Anadolu", "PTI", "IANS",
    "AAP", "Belga", "ANP", "TT", "NTB", "Ritzau", "PAP", "CTK", "MTI", "Lusa", "Interfax",
    "Associated Press", "Agence France-Presse", "Deutsche Presse-Agentur", "Kantor Berita ANTARA",
    "Antara News", "Bloomberg", "Jiji", "Vietnam News Agency", "PNA", "Agencia EFE", "SID",
    "Kathpress",
)}
