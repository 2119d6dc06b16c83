//! The normaliser, table-driven: what goes in, and the words that come out.

use super::Lexicon;
use super::normalise::normalise;
use super::numbers::number;

fn say(text: &str) -> String {
    normalise(text, &Lexicon::default()).text
}

#[test]
fn numbers_are_read_the_vietnamese_way() {
    let table: &[(u64, &str)] = &[
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1050, "một nghìn không trăm năm mươi"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (15_000, "mười lăm nghìn"),
        (250_000, "hai trăm năm mươi nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (2_500_000, "hai triệu năm trăm nghìn"),
        (1_000_000_000, "một tỷ"),
        (3_002_000_000, "ba tỷ không trăm linh hai triệu"),
        (3_000_200_000, "ba tỷ hai trăm nghìn"),
    ];
    for (n, words) in table {
        assert_eq!(number(*n), *words, "{n}");
    }
}

#[test]
fn numbers_in_text() {
    let table = [
        ("0", "không"),
        ("10", "mười"),
        ("15", "mười lăm"),
        ("21", "hai mươi mốt"),
        ("105", "một trăm linh năm"),
        ("1000", "một nghìn"),
        ("2026", "hai nghìn không trăm hai mươi sáu"),
        ("1.000.000", "một triệu"),
        ("50.000 người", "năm mươi nghìn người"),
        ("2,5", "hai phẩy năm"),
        ("2,05", "hai phẩy không năm"),
        ("năm 2026.", "năm hai nghìn không trăm hai mươi sáu."),
        ("tổ 05", "tổ năm"),
        ("mã 00123", "mã không không một hai ba"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

#[test]
fn times_of_day() {
    let table = [
        ("7h30", "bảy giờ ba mươi phút"),
        ("07:30", "bảy giờ ba mươi phút"),
        ("lúc 7h", "lúc bảy giờ"),
        ("17g15", "mười bảy giờ mười lăm phút"),
        ("7h00 sáng", "bảy giờ sáng"),
        ("06:05:09", "sáu giờ năm phút chín giây"),
        ("14H45", "mười bốn giờ bốn mươi lăm phút"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

#[test]
fn dates() {
    let y = "năm hai nghìn không trăm hai mươi sáu";
    let table = [
        ("5/12/2026", format!("ngày năm tháng mười hai {y}")),
        ("ngày 5/12/2026", format!("ngày năm tháng mười hai {y}")),
        ("05-12-2026", format!("ngày năm tháng mười hai {y}")),
        ("2026-12-05", format!("ngày năm tháng mười hai {y}")),
        ("30/4", "ngày ba mươi tháng tư".to_string()),
        ("tháng 12/2026", format!("tháng mười hai {y}")),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
    // Not a date: a 13th month, a 32nd day.
    assert_eq!(say("5/13"), "năm/mười ba");
    assert_eq!(say("32/1"), "ba mươi hai/một");
}

#[test]
fn phone_numbers_digit_by_digit() {
    let table = [
        ("0912345678", "không chín một hai ba bốn năm sáu bảy tám"),
        (
            "gọi 0912 345 678.",
            "gọi không chín một hai, ba bốn năm, sáu bảy tám.",
        ),
        (
            "0222.3812.345",
            "không hai hai hai, ba tám một hai, ba bốn năm",
        ),
        (
            "+84912345678",
            "cộng tám bốn chín một hai ba bốn năm sáu bảy tám",
        ),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

#[test]
fn percentages_and_units() {
    let table = [
        ("15%", "mười lăm phần trăm"),
        ("2,5 %", "hai phẩy năm phần trăm"),
        ("3 km", "ba ki lô mét"),
        ("20kg", "hai mươi ki lô gam"),
        ("5 ha", "năm héc ta"),
        ("50.000đ", "năm mươi nghìn đồng"),
        ("100 m2", "một trăm mét vuông"),
        ("5 người", "năm người"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

#[test]
fn abbreviations_are_written_out() {
    let table = [
        ("UBND xã", "ủy ban nhân dân xã"),
        ("HĐND", "hội đồng nhân dân"),
        ("MTTQ", "mặt trận tổ quốc"),
        ("CCHC", "cải cách hành chính"),
        ("TTHC", "thủ tục hành chính"),
        ("BHYT, BHXH", "bảo hiểm y tế, bảo hiểm xã hội"),
        ("THCS THPT", "trung học cơ sở trung học phổ thông"),
        ("CSGT", "cảnh sát giao thông"),
        ("PCCC", "phòng cháy chữa cháy"),
        ("Sở GD&ĐT", "Sở giáo dục và đào tạo"),
        // All-capital words are words, said in lower case.
        ("THÔNG BÁO", "thông báo"),
        ("TIN", "tin"),
    ];
    for (text, words) in table {
        let s = normalise(text, &Lexicon::default());
        assert_eq!(s.text, words, "{text}");
        assert!(s.unread.is_empty(), "{text}: {:?}", s.unread);
    }
}

#[test]
fn an_unknown_abbreviation_is_spelled_and_noted() {
    let s = normalise("Gửi XYZ và XYZ", &Lexicon::default());
    assert_eq!(s.text, "Gửi ích i dét và ích i dét");
    assert_eq!(s.unread, vec!["XYZ".to_string()]);
}

#[test]
fn the_station_lexicon_wins_over_the_built_in_list() {
    let lex = Lexicon::new([
        ("UBND".to_string(), "ủy ban".to_string()),
        ("XYZ".to_string(), "hợp tác xã Xuân Yên".to_string()),
        ("UBND xã".to_string(), "chính quyền xã".to_string()),
    ]);
    let s = normalise("UBND, XYZ và UBND xã", &lex);
    assert_eq!(s.text, "ủy ban, hợp tác xã Xuân Yên và chính quyền xã");
    assert!(s.unread.is_empty());
    // Whole words only; a key with capitals as written.
    let s = normalise("ubndx và ubnd", &lex);
    assert_eq!(s.text, "ubndx và ubnd");
}

#[test]
fn a_lexicon_key_with_capitals_matches_only_as_written_a_lower_case_one_any_case() {
    let lex = Lexicon::new([
        ("CA".to_string(), "công an".to_string()),
        ("loa".to_string(), "lo a".to_string()),
    ]);
    let table = [
        ("ca trực đêm", "ca trực đêm"),
        ("Ca trực đêm", "Ca trực đêm"),
        ("CA xã trực đêm", "công an xã trực đêm"),
        ("loa xã", "lo a xã"),
        ("Loa xã", "lo a xã"),
        ("LOA XÃ", "lo a xã"),
    ];
    for (text, words) in table {
        assert_eq!(normalise(text, &lex).text, words, "{text}");
    }
}

#[test]
fn a_real_notice() {
    let s = say(
        "UBND xã thông báo lịch tiêm phòng dại lúc 7h30 ngày 5/12/2025 tại nhà văn hóa thôn Đông.",
    );
    assert_eq!(
        s,
        "ủy ban nhân dân xã thông báo lịch tiêm phòng dại lúc bảy giờ ba mươi phút \
         ngày năm tháng mười hai năm hai nghìn không trăm hai mươi lăm tại nhà văn hóa thôn Đông."
    );
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
fn ended(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(true)
}

#[test]
fn a_hung_engine_that_never_reads_a_long_text_is_killed_with_its_children() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A wrapper that starts a child of its own, reads nothing and hangs.
    let argv: Vec<String> = ["sh", "-c", "sleep 600 & echo $! > child.pid; sleep 600"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // More than a pipe holds.
    let text = "một hai ba bốn năm ".repeat(8000);
    assert!(text.len() > 128 * 1024);
    let cwd = dir.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let out = cwd.join("never.wav");
        let limits = super::render::Limits {
            time: std::time::Duration::from_secs(1),
            out: &out,
            bytes: u64::MAX,
        };
        let r = super::render::run(&argv, &text, &cwd, &limits);
        let _ = tx.send(r);
    });
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("the engine's limit did not hold"));
    assert!(matches!(r, Err(super::SpeechError::TimedOut(_))), "{r:?}");
    let child = std::fs::read_to_string(dir.path().join("child.pid")).unwrap_or_default();
    let child = child.trim();
    assert!(!child.is_empty());
    // Killed with the group; give the kernel a moment.
    let mut gone = false;
    for _ in 0..100 {
        gone = ended(child);
        if gone {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(gone, "the wrapper's child {child} survived");
}

/// The readings a review found wrong (issue 12, second round).
#[test]
fn readings_the_review_found_wrong() {
    let y = "năm hai nghìn không trăm hai mươi sáu";
    let table: Vec<(&str, String)> = vec![
        // A date with dots before a number, not a phone number.
        (
            "Sáng 05.12.2026 10 giờ họp",
            format!("Sáng ngày năm tháng mười hai {y} mười giờ họp"),
        ),
        // Short numbers in a row are numbers.
        (
            "0 10 15 21 24 25",
            "không mười mười lăm hai mươi mốt hai mươi tư hai mươi lăm".into(),
        ),
        // Ordinals.
        ("thứ 4", "thứ tư".into()),
        ("lần thứ 1", "lần thứ nhất".into()),
        ("thứ 2", "thứ hai".into()),
        ("tháng 4 năm 2026", format!("tháng tư {y}")),
        // Days of the week.
        ("T2", "thứ hai".into()),
        ("T4, T7 và CN", "thứ tư, thứ bảy và chủ nhật".into()),
        // Service numbers digit by digit.
        (
            "tổng đài 1900 1234",
            "tổng đài một chín không không, một hai ba bốn".into(),
        ),
        ("1800.1234", "một tám không không, một hai ba bốn".into()),
        // A dot that is not a thousands group.
        ("Điều 5.2", "Điều năm chấm hai".into()),
        ("5.12", "năm chấm mười hai".into()),
        ("1.000", "một nghìn".into()),
        // Thousands grouped by spaces.
        ("1 000 000", "một triệu".into()),
        ("10 000 đồng", "mười nghìn đồng".into()),
        ("lớp 5 100 học sinh", "lớp năm một trăm học sinh".into()),
        // Hours and minutes.
        ("7h30p", "bảy giờ ba mươi phút".into()),
        ("7h5", "bảy giờ năm phút".into()),
        // Per.
        ("50.000đ/kg", "năm mươi nghìn đồng một ki lô gam".into()),
        ("2 lần/ngày", "hai lần một ngày".into()),
        // Ranges.
        ("13h-17h", "mười ba giờ đến mười bảy giờ".into()),
        ("8-9", "tám đến chín".into()),
        ("8 - 9 giờ", "tám đến chín giờ".into()),
        // Abbreviations.
        ("COVID-19", "cô vít mười chín".into()),
        ("QL1A", "quốc lộ một A".into()),
        ("TP.HCM", "thành phố Hồ Chí Minh".into()),
        ("TP. Vinh", "thành phố Vinh".into()),
        ("TX. Sơn Tây", "thị xã Sơn Tây".into()),
        ("TT. Đông Anh", "thị trấn Đông Anh".into()),
        ("UBMTTQ", "ủy ban mặt trận tổ quốc".into()),
        ("BQL chợ", "ban quản lý chợ".into()),
        ("TDP 3", "tổ dân phố ba".into()),
        ("KDC số 2", "khu dân cư số hai".into()),
    ];
    for (text, words) in table {
        let s = normalise(text, &Lexicon::default());
        assert_eq!(s.text, words, "{text}");
        assert!(s.unread.is_empty(), "{text}: {:?}", s.unread);
    }
}

/// A document's number (issue 12, audit): its number, its year, its codes
/// written out; the slashes and hyphens silent, never "per" ("một").
#[test]
fn document_numbers_read_number_year_and_codes() {
    let table = [
        (
            "Quyết định số 12/QĐ-UBND",
            "Quyết định số mười hai quyết định ủy ban nhân dân",
        ),
        (
            "Nghị định 100/2019/NĐ-CP",
            "Nghị định một trăm năm hai nghìn không trăm mười chín nghị định chính phủ",
        ),
        (
            "Thông tư 39/2020/TT-BTTTT.",
            "Thông tư ba mươi chín năm hai nghìn không trăm hai mươi thông tư \
             bộ thông tin và truyền thông.",
        ),
        ("Chỉ thị 05/CT-TTg", "Chỉ thị năm chỉ thị thủ tướng"),
        (
            "Kế hoạch số 45/KH-UBND, Nghị quyết 07/NQ-HĐND",
            "Kế hoạch số bốn mươi lăm kế hoạch ủy ban nhân dân, \
             Nghị quyết bảy nghị quyết hội đồng nhân dân",
        ),
        (
            "Công văn 120/CV-VP",
            "Công văn một trăm hai mươi công văn văn phòng",
        ),
        ("Thông báo 3/TB-BCĐ", "Thông báo ba thông báo ban chỉ đạo"),
        // Outside a number, "TT." stays "thị trấn"; "per" stays for units.
        ("TT. Đông Anh", "thị trấn Đông Anh"),
        ("50.000đ/kg", "năm mươi nghìn đồng một ki lô gam"),
        ("2 lần/ngày", "hai lần một ngày"),
    ];
    for (text, words) in table {
        let s = normalise(text, &Lexicon::default());
        assert_eq!(s.text, words, "{text}");
        assert!(s.unread.is_empty(), "{text}: {:?}", s.unread);
    }
    // A code nobody knows is spelled and noted; the station's lexicon wins.
    let s = normalise("số 12/XYZQ-UBND", &Lexicon::default());
    assert_eq!(s.text, "số mười hai ích i dét quy ủy ban nhân dân");
    assert_eq!(s.unread, vec!["XYZQ".to_string()]);
    let lex = Lexicon::new([("CT".to_string(), "chủ tịch".to_string())]);
    assert_eq!(
        normalise("05/CT-UBND", &lex).text,
        "năm chủ tịch ủy ban nhân dân"
    );
}

/// A fraction is not a date (issue 12, audit): a day/month is a date
/// unless a quantity makes it a fraction (see
/// `dates_are_the_default_fractions_the_exception`).
#[test]
fn fractions_are_not_dates() {
    let table = [
        ("3/4 số hộ", "ba phần tư số hộ"),
        ("1/2 diện tích", "một phần hai diện tích"),
        ("giảm 2/3.", "giảm hai phần ba."),
        ("ngày 3/4", "ngày ba tháng tư"),
        ("sáng 1/2 họp", "sáng ngày một tháng hai họp"),
        (
            "từ 1/6 đến 5/6",
            "từ ngày một tháng sáu đến ngày năm tháng sáu",
        ),
        ("hạn 3/4,", "hạn ngày ba tháng tư,"),
        ("thứ hai 3/4", "thứ hai ngày ba tháng tư"),
        ("CN 3/4", "chủ nhật ngày ba tháng tư"),
        // Holidays are dates.
        ("Quốc khánh 2/9", "Quốc khánh ngày hai tháng chín"),
        ("nghỉ lễ 1/5", "nghỉ lễ ngày một tháng năm"),
        ("kỷ niệm 3/2", "kỷ niệm ngày ba tháng hai"),
        // A list of dates goes on; a list of fractions too.
        ("ngày 1/2 và 3/4", "ngày một tháng hai và ngày ba tháng tư"),
        ("chiếm 1/2 và 1/4", "chiếm một phần hai và một phần tư"),
        (
            "ngày 5/12, 1/2 số hộ",
            "ngày năm tháng mười hai, một phần hai số hộ",
        ),
        (
            "3/4/2026",
            "ngày ba tháng tư năm hai nghìn không trăm hai mươi sáu",
        ),
        // Not a small fraction: a date as before.
        ("30/4", "ngày ba mươi tháng tư"),
        ("lễ 12/9", "lễ ngày mười hai tháng chín"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// A minus before a number reads "âm" (issue 12, audit); a range and a
/// hyphenated word do not.
#[test]
fn negative_numbers_read_am() {
    let table = [
        ("-5°C", "âm năm độ xê"),
        ("nhiệt độ −3 °C", "nhiệt độ âm ba độ xê"),
        ("từ -2 đến 25 độ C", "từ âm hai đến hai mươi lăm độ xê"),
        ("25°C", "hai mươi lăm độ xê"),
        ("(-1,5%)", "(âm một phẩy năm phần trăm)"),
        // Not a minus.
        ("14h-16h30", "mười bốn giờ đến mười sáu giờ ba mươi phút"),
        ("8 - 9", "tám đến chín"),
        ("F-16", "F-mười sáu"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// "7g" is a time where a time is meant (issue 12, audit; SPEC §2.2 takes
/// the `g` form), and grams after a quantity.
#[test]
fn hours_written_with_g() {
    let table = [
        ("lúc 7g tối", "lúc bảy giờ tối"),
        ("7g30", "bảy giờ ba mươi phút"),
        ("17G15", "mười bảy giờ mười lăm phút"),
        ("từ 7g đến 9g sáng", "từ bảy giờ đến chín giờ sáng"),
        ("lúc 6g, họp", "lúc sáu giờ, họp"),
        ("họp 8g sáng", "họp tám giờ sáng"),
        // Grams.
        ("5g muối", "năm gam muối"),
        ("thêm 20g đường", "thêm hai mươi gam đường"),
        ("5 g", "năm gam"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// Legacy input's eth (U+00D0) is Đ, and covid-19 in lower case is COVID-19
/// (issue 12, audit).
#[test]
fn an_eth_is_d_with_stroke_and_lower_case_covid_is_covid() {
    let table = [
        ("H\u{d0}ND xã", "hội đồng nhân dân xã"),
        ("\u{d0}BQH", "đại biểu quốc hội"),
        ("Sở GD&\u{d0}T", "Sở giáo dục và đào tạo"),
        ("12/Q\u{d0}-UBND", "mười hai quyết định ủy ban nhân dân"),
        ("\u{d0}ông và \u{f0}oài", "Đông và đoài"),
        ("phòng covid-19", "phòng cô vít mười chín"),
        ("Covid-19", "cô vít mười chín"),
    ];
    for (text, words) in table {
        let s = normalise(text, &Lexicon::default());
        assert_eq!(s.text, words, "{text}");
        assert!(s.unread.is_empty(), "{text}: {:?}", s.unread);
    }
}

/// What the play log says spoke (issue 12, audit): the real program (the
/// script a shell runs) and the model file, else the configured voice.
#[test]
fn the_log_names_the_command_engine_and_its_model() {
    let tts = |argv: &[&str]| super::TtsConfig {
        engine: super::Engine::Command(argv.iter().map(|s| s.to_string()).collect()),
        voice: "vi-VN-x-south".into(),
        ..super::TtsConfig::default()
    };
    let table: &[(&[&str], &str, &str)] = &[
        (
            &[
                "/usr/local/bin/piper",
                "--model",
                "voices/vi_VN-vais1000-medium.onnx",
                "--output_file",
                "{out}",
            ],
            "command:piper",
            "vi_VN-vais1000-medium.onnx",
        ),
        (
            &["python3", "-u", "tts/run.py", "--model=m/vi.pt", "{out}"],
            "command:run.py",
            "vi.pt",
        ),
        (
            &["sh", "voice.sh", "{out}"],
            "command:voice.sh",
            "vi-VN-x-south",
        ),
        (
            &["espeak-ng", "-v", "{voice}", "-w", "{out}", "--stdin"],
            "command:espeak-ng",
            "vi-VN-x-south",
        ),
    ];
    for (argv, engine, voice) in table {
        let (e, v) = super::log_engine(&tts(argv));
        assert_eq!((e.as_str(), v.as_str()), (*engine, *voice), "{argv:?}");
    }
    let plain = super::TtsConfig::default();
    assert_eq!(
        super::log_engine(&plain),
        ("espeak-ng".to_string(), "vi".to_string())
    );
}

/// "Per" after a number phrase of several words, or a chain of them
/// (issue 12, third round): the slash reads "một" after "5 triệu đồng"
/// and after "đồng/hộ"; a document's number and a date keep theirs.
#[test]
fn per_after_a_number_phrase_or_a_chain() {
    let table = [
        (
            "Mức lương 5 triệu đồng/tháng",
            "Mức lương năm triệu đồng một tháng",
        ),
        (
            "giá 20 nghìn đồng/kg",
            "giá hai mươi nghìn đồng một ki lô gam",
        ),
        (
            "100.000 đồng/hộ/tháng",
            "một trăm nghìn đồng một hộ một tháng",
        ),
        ("ăn dưới 5g muối/ngày", "ăn dưới năm gam muối một ngày"),
        ("50.000 VNĐ/kg", "năm mươi nghìn đồng một ki lô gam"),
        // Not per: a document's number, a date, a name with capitals.
        ("12/QĐ-UBND", "mười hai quyết định ủy ban nhân dân"),
        (
            "100/2019/NĐ-CP",
            "một trăm năm hai nghìn không trăm mười chín nghị định chính phủ",
        ),
        ("ngày 5/12", "ngày năm tháng mười hai"),
        ("tổ 3 thôn Nam/thôn Bắc", "tổ ba thôn Nam/thôn Bắc"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// "G" after a number is not an hour (issue 12, third round): "2G", "4G"
/// are mobile networks; "3g", "2g" grams unless a time is meant: after
/// "lúc", or before a time of day (maybe after a range), up to 24; with
/// minutes always a time.
#[test]
fn g_is_an_hour_only_where_a_time_is_meant() {
    let table = [
        ("từ 2G sang 4G", "từ hai G sang bốn G"),
        (
            "Mỗi người chỉ nên ăn từ 3g đến 5g muối mỗi ngày",
            "Mỗi người chỉ nên ăn từ ba gam đến năm gam muối mỗi ngày",
        ),
        ("thêm vào 2g men", "thêm vào hai gam men"),
        ("lúc 7g tối", "lúc bảy giờ tối"),
        ("từ 7g đến 9g sáng", "từ bảy giờ đến chín giờ sáng"),
        ("7g-9g tối", "bảy giờ đến chín giờ tối"),
        ("lúc 7g đến 9g", "lúc bảy giờ đến chín giờ"),
        ("7g30", "bảy giờ ba mươi phút"),
        ("17G15", "mười bảy giờ mười lăm phút"),
        ("lúc 30g", "lúc ba mươi gam"),
        ("lúc 7G", "lúc bảy giờ"),
        ("lúc 7G sáng", "lúc bảy giờ sáng"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// A list of dates goes on after a comma as after "và"/"hoặc" (issue 12,
/// third round).
#[test]
fn a_list_of_dates_goes_on_after_a_comma() {
    let table = [
        (
            "ngày 1/2, 3/4 và 5/6",
            "ngày một tháng hai, ngày ba tháng tư và ngày năm tháng sáu",
        ),
        (
            "ngày 1/2, 3/4, 5/6 hoặc 7/8",
            "ngày một tháng hai, ngày ba tháng tư, ngày năm tháng sáu hoặc ngày bảy tháng tám",
        ),
        // A quantity after it is still a fraction.
        (
            "ngày 5/12, 1/2 số hộ",
            "ngày năm tháng mười hai, một phần hai số hộ",
        ),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// A day/month is a date unless it is a fraction by context (issue 12,
/// third round): a quantity noun after it, a quantity word before it, or a
/// list of fractions going on; an impossible date with b up to 10 is a
/// fraction.
#[test]
fn dates_are_the_default_fractions_the_exception() {
    let table = [
        ("Tết Thiếu nhi 1/6", "Tết Thiếu nhi ngày một tháng sáu"),
        (
            "Quốc tế Lao động 1/5.",
            "Quốc tế Lao động ngày một tháng năm.",
        ),
        (
            "Ngày Quốc tế Người cao tuổi 1/10",
            "Ngày Quốc tế Người cao tuổi ngày một tháng mười",
        ),
        (
            "Lịch cắt điện 3/4, từ 7h",
            "Lịch cắt điện ngày ba tháng tư, từ bảy giờ",
        ),
        (
            "Khai giảng năm học mới 5/9",
            "Khai giảng năm học mới ngày năm tháng chín",
        ),
        // Fractions by what follows, by what precedes, by a list.
        ("khoảng 2/3 dân số", "khoảng hai phần ba dân số"),
        ("hơn 1/2 khối lượng", "hơn một phần hai khối lượng"),
        ("đạt 3/5.", "đạt ba phần năm."),
        ("chiếm 1/2 và 1/4", "chiếm một phần hai và một phần tư"),
        (
            "chiếm 1/2, 1/3 hoặc 1/4",
            "chiếm một phần hai, một phần ba hoặc một phần tư",
        ),
        ("1/3 người dân", "một phần ba người dân"),
        // Impossible dates: a fraction up to tenths, else as before.
        ("0/5", "không phần năm"),
        ("45/5", "bốn mươi lăm phần năm"),
        ("5/13", "năm/mười ba"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// "mồng 1/5" is not "mồng ngày một tháng năm" (issue 12, third round).
#[test]
fn no_ngay_after_mong_or_mung() {
    let table = [
        ("mồng 1/5", "mồng một tháng năm"),
        ("Mùng 2/9", "Mùng hai tháng chín"),
        ("ngày 1/5", "ngày một tháng năm"),
        ("hôm 1/5", "hôm ngày một tháng năm"),
    ];
    for (text, words) in table {
        assert_eq!(say(text), words, "{text}");
    }
}

/// "KH", "HD", "CV" mean other things outside a document's number
/// ("khách hàng", "hợp đồng", a résumé): read only inside one, and noted
/// as unread elsewhere (issue 12, third round).
#[test]
fn kh_hd_cv_are_read_only_in_a_document_number() {
    let table = [
        (
            "Kế hoạch 123/KH-UBND",
            "Kế hoạch một trăm hai mươi ba kế hoạch ủy ban nhân dân",
        ),
        (
            "Hướng dẫn 5/HD-UBND",
            "Hướng dẫn năm hướng dẫn ủy ban nhân dân",
        ),
        (
            "Công văn 120/CV-VP",
            "Công văn một trăm hai mươi công văn văn phòng",
        ),
        ("NQ và VP", "nghị quyết và văn phòng"),
    ];
    for (text, words) in table {
        let s = normalise(text, &Lexicon::default());
        assert_eq!(s.text, words, "{text}");
        assert!(s.unread.is_empty(), "{text}: {:?}", s.unread);
    }
    let s = normalise("KH ký HD, nộp CV", &Lexicon::default());
    assert_eq!(s.text, "ca hát ký hát dê, nộp xê vê");
    assert_eq!(s.unread, vec!["KH", "HD", "CV"]);
}

/// The voices `check` takes (issue 12, third round): a language or voice
/// file espeak-ng lists, in any case, with `_` for `-`, or the leading
/// part of a listed language ("vi-vn" of "vi-vn-x-south"); a variant after
/// `+` aside. A list that parses to no voice is no list (unknown).
#[test]
fn the_voices_check_takes_and_a_list_with_none() {
    let list = "Pty Language       Age/Gender VoiceName          File                 Other Languages\n \
                5  af              --/M      Afrikaans          gmw/af               \n \
                5  vi              --/M      Vietnamese_(Northern) aav/vi               \n \
                5  vi-vn-x-central --/M      Vietnamese_(Central) aav/vi-VN-x-central  \n \
                5  vi-vn-x-south   --/M      Vietnamese_(Southern) aav/vi-VN-x-south    \n";
    let voices = super::voices::voices_from(true, list).unwrap_or_else(|| panic!("no voices"));
    for v in [
        "vi",
        "VI",
        "aav/vi",
        "vi-VN-x-south",
        "vi-vn",
        "VI-VN",
        "vi_VN",
        "vi_vn_x_central",
        "vi-vn-x",
        "vi+f3",
        "vi_VN+m2",
    ] {
        assert!(super::has_voice(&voices, v), "{v}");
    }
    for v in [
        "zz",
        "vi-north",
        "vi-north-xx",
        "vi-v",
        "vi-vn-x-north",
        "vi-",
        "",
        "+f3",
    ] {
        assert!(!super::has_voice(&voices, v), "{v}");
    }
    // espeak-ng ran, but nothing in its answer is a voice: not known.
    assert_eq!(
        super::voices::voices_from(true, "Pty Language Age/Gender\n"),
        None
    );
    assert_eq!(super::voices::voices_from(true, ""), None);
    assert_eq!(super::voices::voices_from(false, list), None);
    // The name the built-in engine is given: `_` as `-`.
    assert_eq!(super::voices::espeak_name("vi_VN"), "vi-VN");
    assert_eq!(super::voices::espeak_name("vi+f3"), "vi+f3");
}

/// Issue 25 item 7: what a render may write is bounded by its text: an
/// engine that writes without end is stopped at the bound, long before its
/// time limit, and nothing of it is kept.
#[test]
fn an_engine_that_writes_without_end_is_stopped_at_the_texts_bound() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("fill.sh"),
        "exec yes ................................................................ > \"$1\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tts = super::TtsConfig {
        engine: super::Engine::Command(vec!["sh".into(), "fill.sh".into(), "{out}".into()]),
        root: dir.path().to_path_buf(),
        ..super::TtsConfig::default()
    };
    let out = dir.path().join("tts/x.wav");
    let spoken = "Họp dân.";
    let began = std::time::Instant::now();
    let r = super::render(&tts, spoken, &out, dir.path());
    assert!(matches!(r, Err(super::SpeechError::TooBig(_))), "{r:?}");
    // The bound, 63 s of 48 kHz stereo here, is reached in seconds; the
    // time limit is 30 s.
    assert!(
        began.elapsed() < std::time::Duration::from_secs(25),
        "{:?}",
        began.elapsed()
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("tts"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    assert!(super::render::max_bytes(spoken, tts.rate) < 20 * 1024 * 1024);
}

#[test]
fn a_shell_script_argument_is_no_file_to_look_for() {
    let argv = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // The script names a model and a path: neither is checked as a file.
    let script = argv(&[
        "sh",
        "-c",
        "piper --model voices/vi.onnx --output_file \"$1\"",
        "_",
        "{out}",
    ]);
    assert!(super::named_files(&script).is_empty());
    let script = argv(&["/bin/bash", "-c", "tts/run.sh", "voices/vi.onnx"]);
    assert_eq!(
        super::named_files(&script),
        vec!["voices/vi.onnx".to_string()]
    );
    // Outside a shell, a model or a path is still looked for.
    let piper = argv(&["piper", "-c", "cfg/x.json", "--model=voices/vi.onnx"]);
    assert_eq!(
        super::named_files(&piper),
        vec!["cfg/x.json".to_string(), "voices/vi.onnx".to_string()]
    );
}
