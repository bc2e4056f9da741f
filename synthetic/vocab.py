"""Word pools for realistic (fake) Indonesian innovation data. Data only, no logic.

Urusan names follow the lower-case form of the IID app (`pekerjaan umum dan penataan ruang`);
the six urusan wajib pelayanan dasar come from the catalog, not from here.
"""

from __future__ import annotations

#: What the IID app writes in a cell left empty.
EMPTY = "-"

#: Other urusan (wajib non-pelayanan dasar, pilihan, penunjang), lower-case as the app writes them.
URUSAN_LAIN: tuple[str, ...] = (
    "tenaga kerja", "pemberdayaan perempuan dan perlindungan anak", "pangan", "pertanahan",
    "lingkungan hidup", "administrasi kependudukan dan pencatatan sipil",
    "pemberdayaan masyarakat dan desa", "pengendalian penduduk dan keluarga berencana",
    "perhubungan", "komunikasi dan informatika", "koperasi, usaha kecil, dan menengah",
    "penanaman modal", "kepemudaan dan olahraga", "statistik", "kebudayaan", "perpustakaan",
    "kearsipan", "kelautan dan perikanan", "pariwisata", "pertanian", "perdagangan",
    "perindustrian", "perencanaan", "keuangan", "kepegawaian", "penelitian dan pengembangan",
)

#: urusan -> (OPD name, account abbreviation, objects the innovation works on)
URUSAN_INFO: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pendidikan": ("Dinas Pendidikan", "disdik", (
        "Anak Tidak Sekolah", "Literasi Siswa", "Sekolah Ramah Anak", "Guru Penggerak", "Beasiswa Pelajar",
        "Pendidikan Inklusif", "Numerasi Sekolah Dasar", "Paud Holistik", "Ayo Sekolah Kembali", "Ijazah Digital")),
    "kesehatan": ("Dinas Kesehatan", "dinkes", (
        "Pelayanan Terpadu", "Kesehatan Ibu dan Anak", "Posyandu Remaja", "Stunting Balita", "Imunisasi Anak",
        "Rujukan Pasien", "Kesehatan Jiwa", "Tuberkulosis", "Antrean Puskesmas", "Gizi Keluarga", "Lansia Sehat")),
    "pekerjaan umum dan penataan ruang": ("Dinas Pekerjaan Umum dan Penataan Ruang", "dpupr", (
        "Jalan Mantap", "Drainase Perkotaan", "Irigasi Desa", "Perizinan Bangunan", "Jembatan Gantung",
        "Air Minum Perdesaan", "Tata Ruang Partisipatif", "Sanitasi Komunal")),
    "perumahan rakyat dan kawasan permukiman": ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "perkim", (
        "Rumah Tidak Layak Huni", "Bedah Rumah", "Kawasan Kumuh", "Penerangan Jalan", "Prasarana Permukiman",
        "Rumah Susun", "Kampung Sehat")),
    "ketenteraman, ketertiban umum, dan perlindungan masyarakat": ("Satuan Polisi Pamong Praja", "satpolpp", (
        "Ketertiban Pedagang", "Tanggap Bencana", "Pemadam Kebakaran", "Linmas Desa", "Ronda Malam",
        "Penegakan Perda", "Siaga Banjir")),
    "sosial": ("Dinas Sosial", "dinsos", (
        "Penyandang Disabilitas", "Data Terpadu Kesejahteraan", "Bantuan Sosial", "Anak Terlantar",
        "Lansia Terlantar", "Rehabilitasi Sosial", "Keluarga Harapan")),
    "tenaga kerja": ("Dinas Tenaga Kerja", "disnaker", ("Pencari Kerja", "Pelatihan Kerja", "Bursa Kerja", "Pekerja Migran")),
    "pemberdayaan perempuan dan perlindungan anak": ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dp3a", (
        "Perlindungan Anak", "Kekerasan Perempuan", "Kota Layak Anak", "Perempuan Berdaya")),
    "pangan": ("Dinas Ketahanan Pangan", "dkp", ("Pekarangan Lestari", "Cadangan Pangan", "Lumbung Desa")),
    "pertanahan": ("Bagian Pertanahan", "pertanahan", ("Sertifikat Tanah", "Aset Tanah Daerah")),
    "lingkungan hidup": ("Dinas Lingkungan Hidup", "dlh", (
        "Bank Sampah", "Sampah Plastik", "Ruang Terbuka Hijau", "Kualitas Udara", "Limbah Medis")),
    "administrasi kependudukan dan pencatatan sipil": ("Dinas Kependudukan dan Pencatatan Sipil", "dukcapil", (
        "Akta Kelahiran", "KTP Elektronik", "Kartu Identitas Anak", "Dokumen Kependudukan", "Akta Kematian")),
    "pemberdayaan masyarakat dan desa": ("Dinas Pemberdayaan Masyarakat dan Desa", "dpmd", (
        "BUMDes", "Dana Desa", "Desa Wisata", "Musyawarah Desa")),
    "pengendalian penduduk dan keluarga berencana": ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "dppkb", (
        "Kampung KB", "Keluarga Berencana", "Calon Pengantin")),
    "perhubungan": ("Dinas Perhubungan", "dishub", ("Angkutan Sekolah", "Parkir Elektronik", "Uji Kendaraan", "Lalu Lintas")),
    "komunikasi dan informatika": ("Dinas Komunikasi dan Informatika", "diskominfo", (
        "Satu Data", "Aduan Warga", "Internet Desa", "Keterbukaan Informasi", "Tanda Tangan Elektronik")),
    "koperasi, usaha kecil, dan menengah": ("Dinas Koperasi dan Usaha Mikro", "diskopum", (
        "UMKM Naik Kelas", "Koperasi Sehat", "Produk Lokal", "Kredit Usaha")),
    "penanaman modal": ("Dinas Penanaman Modal dan PTSP", "dpmptsp", ("Perizinan Berusaha", "Investasi Daerah", "Mal Pelayanan Publik")),
    "kepemudaan dan olahraga": ("Dinas Kepemudaan dan Olahraga", "dispora", ("Atlet Muda", "Wirausaha Muda")),
    "statistik": ("Dinas Komunikasi dan Informatika", "diskominfo", ("Data Sektoral", "Statistik Desa")),
    "kebudayaan": ("Dinas Kebudayaan", "disbud", ("Cagar Budaya", "Seni Tradisi", "Bahasa Daerah")),
    "perpustakaan": ("Dinas Perpustakaan dan Kearsipan", "dispusip", ("Perpustakaan Keliling", "Gemar Membaca", "Pojok Baca")),
    "kearsipan": ("Dinas Perpustakaan dan Kearsipan", "dispusip", ("Arsip Digital", "Arsip Desa")),
    "kelautan dan perikanan": ("Dinas Perikanan", "diskan", ("Nelayan Kecil", "Budidaya Ikan", "Hasil Tangkapan")),
    "pariwisata": ("Dinas Pariwisata", "dispar", ("Desa Wisata Kreatif", "Promosi Wisata", "Pemandu Wisata")),
    "pertanian": ("Dinas Pertanian", "distan", ("Pupuk Bersubsidi", "Petani Milenial", "Benih Unggul", "Kesehatan Hewan")),
    "perdagangan": ("Dinas Perdagangan", "disdag", ("Pasar Rakyat", "Harga Bahan Pokok", "Tera Ulang")),
    "perindustrian": ("Dinas Perindustrian", "disperin", ("Industri Kecil", "Sentra Kerajinan")),
    "perencanaan": ("Badan Perencanaan Pembangunan Daerah", "bappeda", ("Musrenbang", "Perencanaan Partisipatif", "Evaluasi Pembangunan")),
    "keuangan": ("Badan Pendapatan Daerah", "bapenda", ("Pajak Daerah", "Retribusi Daerah", "Pajak Kendaraan", "PBB Perdesaan")),
    "kepegawaian": ("Badan Kepegawaian dan Pengembangan SDM", "bkpsdm", ("Kinerja ASN", "Kenaikan Pangkat", "Presensi Pegawai")),
    "penelitian dan pengembangan": ("Badan Riset dan Inovasi Daerah", "brida", ("Inovasi Desa", "Kajian Kebijakan", "Riset Daerah")),
}

#: Program forms that open a title.
BENTUK_JUDUL: tuple[str, ...] = (
    "Sistem Informasi", "Aplikasi", "Gerakan", "Layanan", "Program", "Rumah", "Kampung", "Klinik", "Pojok",
    "Sekolah", "Pusat", "Sahabat", "Jemput Bola", "Gerai", "Portal", "Dasbor", "Forum", "Gerakan Bersama",
    "Pendampingan", "Percepatan", "Penguatan", "Optimalisasi", "Sinergi", "Kolaborasi", "Pos Pelayanan",
)
#: Endings that make titles of one Pemda differ.
AKHIRAN_JUDUL: tuple[str, ...] = (
    "", "", "", " Terpadu", " Berbasis Desa", " Keliling", " Digital", " Berbasis Komunitas", " Terintegrasi",
    " Satu Pintu", " Ramah Disabilitas", " Cepat dan Tepat", " Tanpa Antre",
)
#: Acronym pieces (`SI` + `PAN` + `DU` → `SIPANDU`).
AKRONIM_AWAL: tuple[str, ...] = ("SI", "E-", "GER", "SA", "MO", "PE", "KA", "TA", "JE", "LA", "SAN", "BU", "GE", "DA")
SUKU_KATA: tuple[str, ...] = (
    "PAN", "DU", "MA", "NIS", "KI", "TA", "RI", "SEH", "BA", "DAS", "LU", "PA", "MAN", "TAP", "NU", "SA",
    "GO", "TRI", "MEN", "RAS", "KU", "LI", "BER", "SE", "JA", "WA", "NE", "DI", "ROM", "PUS",
)

INISIATOR: tuple[str, ...] = ("Kepala Daerah", "Anggota DPRD", "OPD", "ASN", "Masyarakat")
INISIATOR_BOBOT: tuple[float, ...] = (0.15, 0.03, 0.50, 0.25, 0.07)

BENTUK_INOVASI: tuple[str, ...] = (
    "Inovasi tata kelola pemerintahan daerah",
    "Inovasi pelayanan publik",
    "Inovasi Daerah lainnya sesuai dengan Urusan Pemerintahan yang menjadi kewenangan Daerah",
)
BENTUK_INOVASI_BOBOT: tuple[float, ...] = (0.30, 0.55, 0.15)

#: The eight Asta Cita (the app writes the column header "Asta Cipta").
ASTA_CITA: tuple[str, ...] = (
    "Memperkokoh ideologi Pancasila, demokrasi, dan hak asasi manusia (HAM)",
    "Memantapkan sistem pertahanan keamanan negara dan mendorong kemandirian bangsa melalui swasembada pangan, energi, air, ekonomi kreatif, ekonomi hijau, dan ekonomi biru",
    "Meningkatkan lapangan kerja yang berkualitas, mendorong kewirausahaan, mengembangkan industri kreatif, dan melanjutkan pengembangan infrastruktur",
    "Memperkuat pembangunan sumber daya manusia (SDM), sains, teknologi, pendidikan, kesehatan, prestasi olahraga, kesetaraan gender, serta penguatan peran perempuan, pemuda, dan penyandang disabilitas",
    "Melanjutkan hilirisasi dan industrialisasi untuk meningkatkan nilai tambah di dalam negeri",
    "Membangun dari desa dan dari bawah untuk pemerataan ekonomi dan pemberantasan kemiskinan",
    "Memperkuat reformasi politik, hukum, dan birokrasi, serta memperkuat pencegahan dan pemberantasan korupsi dan narkoba",
    "Memperkuat penyelarasan kehidupan yang harmonis dengan lingkungan, alam, dan budaya, serta peningkatan toleransi antarumat beragama untuk mencapai masyarakat yang adil dan makmur",
)

#: Fake person names (no real person intended).
NAMA_DEPAN: tuple[str, ...] = (
    "Agus", "Budi", "Siti", "Dewi", "Eko", "Fitri", "Hendra", "Indah", "Joko", "Kurniawati", "Lestari", "Muhammad",
    "Nur", "Putri", "Rizky", "Sri", "Teguh", "Wahyu", "Yuliana", "Andi", "Ratna", "Bambang", "Citra", "Dimas",
    "Endang", "Gita", "Hadi", "Intan", "Yohanes", "Made", "Ketut", "Maria", "Fransiska", "Rahmat", "Aisyah",
)
NAMA_BELAKANG: tuple[str, ...] = (
    "Santoso", "Wibowo", "Rahayu", "Pratama", "Saputra", "Hidayat", "Lestari", "Kusuma", "Nugroho", "Setiawan",
    "Wulandari", "Purnomo", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Pangaribuan", "Sinaga", "Wijaya",
    "Suryani", "Hakim", "Mahendra", "Permana", "Utami", "Rumbiak", "Lumban Tobing", "Daeng Mattiro", "Manuputty",
)
GELAR: tuple[str, ...] = ("", "", "", ", S.Kom.", ", S.E.", ", M.Si.", ", S.Sos.", ", M.Kes.", ", S.T.", ", M.Pd.")

#: Sentences of the design narrative (`Rancang Bangun`); each has at least 18 words.
KALIMAT_RANCANG_BANGUN: tuple[str, ...] = (
    "Latar belakang inovasi ini adalah masih rendahnya kualitas layanan yang dirasakan masyarakat karena prosedur yang panjang dan informasi yang tersebar.",
    "Permasalahan utama yang dihadapi adalah keterbatasan data yang akurat sehingga perencanaan program sering tidak tepat sasaran dan sulit dievaluasi.",
    "Inovasi dirancang melalui tahapan identifikasi masalah, perumusan gagasan, uji coba terbatas, evaluasi, dan penerapan secara menyeluruh di seluruh wilayah.",
    "Tim pelaksana terdiri atas aparatur perangkat daerah, kader masyarakat, dan mitra dari perguruan tinggi yang ditetapkan dengan keputusan kepala daerah.",
    "Sumber daya yang digunakan meliputi anggaran pendapatan dan belanja daerah, dukungan dana desa, serta kontribusi mitra swasta melalui tanggung jawab sosial perusahaan.",
    "Mekanisme kerja inovasi dimulai dari pengajuan layanan oleh warga, verifikasi oleh petugas, tindak lanjut oleh unit teknis, dan pemberitahuan hasil kepada pemohon.",
    "Kebaruan inovasi terletak pada penggabungan layanan yang sebelumnya terpisah menjadi satu alur yang sederhana, cepat, dan dapat dipantau oleh masyarakat.",
    "Sosialisasi dilakukan melalui media sosial pemerintah daerah, radio lokal, pertemuan warga, dan spanduk yang dipasang di kantor kecamatan serta balai desa.",
    "Monitoring dilaksanakan setiap bulan dengan membandingkan capaian indikator kinerja terhadap target yang telah ditetapkan dalam rencana kerja perangkat daerah.",
    "Evaluasi tahunan melibatkan survei kepuasan masyarakat sehingga masukan penerima manfaat dapat digunakan untuk memperbaiki alur layanan pada tahun berikutnya.",
    "Hasil uji coba menunjukkan waktu penyelesaian layanan berkurang secara nyata dan jumlah pengaduan masyarakat menurun dibandingkan dengan periode sebelum inovasi diterapkan.",
    "Keberlanjutan inovasi dijamin dengan pengintegrasian program ke dalam rencana kerja pemerintah daerah dan penganggaran rutin pada dokumen pelaksanaan anggaran.",
    "Inovasi ini juga membuka peluang replikasi oleh daerah lain karena prosedurnya terdokumentasi dengan baik dalam pedoman teknis yang mudah dipahami petugas.",
    "Pemanfaatan teknologi informasi memungkinkan data layanan tersimpan secara terpusat sehingga pimpinan dapat mengambil keputusan berdasarkan data yang mutakhir dan lengkap.",
    "Bagi layanan non digital, petugas melakukan jemput bola ke desa terpencil dengan jadwal kunjungan yang diumumkan terlebih dahulu kepada kepala desa dan warga.",
    "Kerja sama lintas perangkat daerah diperkuat melalui forum koordinasi bulanan yang membahas kendala pelaksanaan, pembagian peran, dan rencana tindak lanjut bersama.",
    "Risiko pelaksanaan seperti keterbatasan jaringan internet dan pergantian petugas diantisipasi dengan pelatihan berkala serta penyediaan prosedur cadangan secara manual.",
    "Indikator keberhasilan meliputi jumlah penerima manfaat, waktu penyelesaian layanan, tingkat kepuasan masyarakat, dan efisiensi belanja dibandingkan dengan tahun sebelumnya.",
    "Keterlibatan masyarakat diwujudkan melalui kader penggerak di setiap desa yang membantu pendataan, penyebaran informasi, dan pendampingan warga yang membutuhkan layanan.",
    "Dukungan regulasi diberikan dalam bentuk peraturan kepala daerah yang mengatur tata cara pelaksanaan, pembagian kewenangan, dan pembiayaan inovasi secara jelas.",
    "Pengaduan masyarakat ditangani melalui kanal terpadu dan setiap aduan ditindaklanjuti paling lambat tiga hari kerja dengan laporan penyelesaian yang dapat diakses publik.",
    "Sejak diterapkan, inovasi ini telah mendapatkan apresiasi dari pemerintah provinsi dan menjadi rujukan studi tiru bagi beberapa kabupaten dan kota di sekitarnya.",
    "Pengembangan ke depan diarahkan pada perluasan cakupan wilayah, penambahan fitur layanan, dan integrasi data dengan sistem informasi milik pemerintah pusat.",
    "Biaya pelaksanaan relatif rendah karena memanfaatkan sarana yang sudah tersedia, sehingga anggaran dapat dialihkan untuk memperluas jangkauan layanan kepada masyarakat.",
)

TUJUAN: tuple[str, ...] = (
    "Meningkatkan kualitas dan kecepatan layanan {objek} bagi masyarakat.",
    "Mempermudah masyarakat memperoleh layanan {objek} secara cepat, murah, dan transparan.",
    "Menurunkan angka permasalahan {objek} melalui kolaborasi lintas sektor.",
)
MANFAAT: tuple[str, ...] = (
    "Waktu layanan {objek} lebih singkat dan biaya yang ditanggung warga berkurang.",
    "Data {objek} tersedia secara mutakhir untuk perencanaan dan penganggaran.",
    "Masyarakat lebih mudah mengakses layanan {objek} tanpa harus datang ke kantor.",
)
HASIL: tuple[str, ...] = (
    "Jumlah penerima manfaat layanan {objek} meningkat setiap tahun sejak inovasi diterapkan.",
    "Waktu penyelesaian layanan {objek} turun dari beberapa minggu menjadi beberapa hari.",
    "Tingkat kepuasan masyarakat terhadap layanan {objek} meningkat berdasarkan survei tahunan.",
)
