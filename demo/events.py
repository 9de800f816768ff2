"""What the demo outlets report: three events, each told by several outlets in their own words.

Each event has facts (sentences every outlet may use, in Indonesian) and each outlet picks and
orders them differently, with its own lead and quotes, so that the texts differ as real
coverage does and still tell one story.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    key: str
    hours_ago: int  # when the first outlet published, before the demo starts
    titles: tuple[str, ...]  # one headline per outlet, in OUTLETS order
    facts: tuple[str, ...]
    english_title: str
    english: tuple[str, ...]


EVENTS = (
    Event(
        key="asean-menlu",
        hours_ago=30,
        titles=("Menlu ASEAN Bertemu di Jakarta Bahas Krisis Myanmar",
                "Pertemuan Menteri Luar Negeri ASEAN Sepakati Lima Langkah untuk Myanmar",
                "Retno Pimpin Rapat Menlu ASEAN, Myanmar Jadi Sorotan Utama"),
        facts=(
            ("Para menteri luar negeri negara anggota ASEAN bertemu di Sekretariat ASEAN, "
            "Jakarta, pada Selasa untuk membahas krisis politik yang berkepanjangan di Myanmar."),
            ("Pertemuan yang dipimpin Menteri Luar Negeri Indonesia itu berlangsung selama "
            "hampir enam jam dan diikuti delegasi dari sepuluh negara anggota."),
            ("Dalam pernyataan bersama, para menteri menyepakati lima langkah untuk mendorong "
            "penghentian kekerasan dan membuka akses bantuan kemanusiaan di Myanmar."),
            ("Salah satu langkah itu adalah pengiriman utusan khusus ASEAN ke Naypyidaw dalam "
            "waktu satu bulan untuk bertemu semua pihak yang bertikai."),
            ("Para menteri juga meminta junta militer membebaskan tahanan politik dan "
            "menghormati konsensus lima poin yang disepakati para pemimpin ASEAN."),
            ("Menurut Kementerian Luar Negeri, Thailand dan Malaysia menyatakan siap membantu "
            "penyaluran bantuan melalui jalur darat di perbatasan."),
            ("Sejumlah pengamat menilai pertemuan ini menjadi ujian bagi kemampuan ASEAN "
            "menangani krisis di kawasannya sendiri tanpa campur tangan kekuatan besar."),
            ("Pertemuan berikutnya dijadwalkan berlangsung di Kuala Lumpur pada awal tahun depan "
            "untuk mengevaluasi pelaksanaan kelima langkah tersebut."),
        ),
        english_title="ASEAN foreign ministers agree five steps on Myanmar in Jakarta",
        english=(
            ("Foreign ministers of the ten ASEAN member states met at the ASEAN Secretariat in "
            "Jakarta on Tuesday to discuss the protracted political crisis in Myanmar."),
            ("In a joint statement after nearly six hours of talks chaired by Indonesia, the "
            "ministers agreed five steps to end the violence and open humanitarian access."),
            ("A special envoy will travel to Naypyidaw within a month to meet all parties, and "
            "the military government was urged to release political prisoners."),
            ("Thailand and Malaysia offered to help deliver aid across their land borders, the "
            "Indonesian foreign ministry said."),
            "The ministers will meet again in Kuala Lumpur early next year to review progress.",
        ),
    ),
    Event(
        key="banjir-semarang",
        hours_ago=20,
        titles=("Banjir Rendam Ribuan Rumah di Semarang, Warga Mengungsi",
                "Hujan Deras Semalaman, Semarang Dilanda Banjir Setinggi Satu Meter",
                "BPBD: 3.200 Rumah Terendam Banjir di Kota Semarang"),
        facts=(
            ("Banjir merendam sedikitnya 3.200 rumah di tujuh kecamatan di Kota Semarang, Jawa "
            "Tengah, setelah hujan deras mengguyur kota itu sejak Minggu malam."),
            ("Badan Penanggulangan Bencana Daerah Kota Semarang mencatat ketinggian air di "
            "sejumlah permukiman mencapai satu meter pada Senin pagi."),
            ("Sekitar 900 warga mengungsi ke masjid, sekolah dan balai kelurahan yang dijadikan "
            "posko pengungsian sementara."),
            ("Jalur kereta api di Stasiun Tawang sempat terganggu sehingga beberapa perjalanan "
            "kereta dialihkan melalui jalur selatan."),
            ("Wali Kota Semarang meninjau lokasi banjir dan memerintahkan pengoperasian seluruh "
            "pompa air di rumah pompa Kali Semarang dan Tenggang."),
            ("Menurut BMKG, curah hujan di wilayah Semarang pada malam itu mencapai lebih dari "
            "150 milimeter, tergolong sangat lebat."),
            ("Petugas gabungan dari TNI, Polri dan relawan membagikan makanan siap saji dan air "
            "bersih kepada warga yang terdampak."),
            ("BPBD mengimbau warga di daerah rawan tetap waspada karena hujan lebat diperkirakan "
            "masih akan turun hingga tiga hari ke depan."),
        ),
        english_title="Floods inundate 3,200 homes in Semarang after overnight downpour",
        english=(
            ("Floods submerged at least 3,200 homes in seven districts of Semarang, Central Java, "
            "after heavy rain fell on the city from Sunday night."),
            ("The local disaster agency said water reached one metre in some neighbourhoods on "
            "Monday morning, and about 900 residents moved to mosques and schools."),
            "Train services at Tawang station were disrupted and several trains were diverted.",
            ("The weather agency BMKG recorded more than 150 millimetres of rain overnight and "
            "warned that heavy rain could continue for three more days."),
        ),
    ),
    Event(
        key="suku-bunga-bi",
        hours_ago=8,
        titles=("Bank Indonesia Tahan Suku Bunga Acuan di 6 Persen",
                "BI Pertahankan BI-Rate, Rupiah Menguat Tipis",
                "Rapat Dewan Gubernur BI Putuskan Suku Bunga Tetap 6 Persen"),
        facts=(
            ("Bank Indonesia memutuskan mempertahankan suku bunga acuan BI-Rate di level 6 "
            "persen dalam Rapat Dewan Gubernur yang berakhir Kamis."),
            ("Gubernur Bank Indonesia mengatakan keputusan itu sejalan dengan upaya menjaga "
            "stabilitas nilai tukar rupiah di tengah ketidakpastian pasar keuangan global."),
            ("Suku bunga Deposit Facility juga dipertahankan di 5,25 persen dan Lending Facility "
            "di 6,75 persen."),
            ("Bank sentral memperkirakan inflasi tetap terkendali dalam kisaran sasaran 1,5 "
            "hingga 3,5 persen hingga akhir tahun."),
            ("Setelah pengumuman itu, nilai tukar rupiah menguat tipis ke kisaran Rp15.900 per "
            "dolar Amerika Serikat di pasar spot."),
            ("Sejumlah ekonom sebelumnya memperkirakan BI akan menahan suku bunga karena "
            "tekanan terhadap rupiah belum sepenuhnya mereda."),
            ("Bank Indonesia juga menyatakan akan terus memperkuat operasi moneter dan "
            "intervensi di pasar valuta asing bila diperlukan."),
            ("Pertumbuhan kredit perbankan diperkirakan tetap berada di kisaran 10 hingga 12 "
            "persen tahun ini, menurut bank sentral."),
        ),
        english_title="Bank Indonesia holds benchmark rate at 6 percent",
        english=(
            ("Bank Indonesia kept its benchmark BI-Rate at 6 percent at the end of its two-day "
            "board meeting on Thursday."),
            ("The governor said the decision was meant to keep the rupiah stable amid global "
            "financial uncertainty, and that inflation would stay within the 1.5 to 3.5 "
            "percent target range."),
            ("The rupiah strengthened slightly to around 15,900 per US dollar after the "
            "announcement."),
            ("The central bank said it would keep intervening in the foreign exchange market "
            "when needed."),
        ),
    ),
)
