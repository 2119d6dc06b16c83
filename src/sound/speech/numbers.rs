//! Numbers read the Vietnamese way: "hai mươi mốt", "một trăm linh năm",
//! "hai nghìn không trăm hai mươi sáu", "một triệu".

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// One digit's word.
pub fn digit(d: u32) -> &'static str {
    DIGITS[(d % 10) as usize]
}

/// Reads every digit of `s` one by one ("0912" → "không chín một hai");
/// other characters are left out.
pub fn digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| c.to_digit(10))
        .map(digit)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a number below 1000. `full`: it follows a higher group ("một
/// nghìn không trăm linh năm"), so its hundreds are read even when zero.
fn under_thousand(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = ((n / 100) as u32, ((n / 10) % 10) as u32, (n % 10) as u32);
    let hundreds = full || h > 0;
    if hundreds {
        out.extend([digit(h), "trăm"]);
    }
    match t {
        0 if u == 0 => {}
        0 if hundreds => out.extend(["linh", digit(u)]),
        0 => out.push(digit(u)),
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(digit(u)),
            }
        }
        _ => {
            out.extend([digit(t), "mươi"]);
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(digit(u)),
            }
        }
    }
}

/// Reads a whole number: 0 → "không", 1000 → "một nghìn", 1 000 000 →
/// "một triệu", 2026 → "hai nghìn không trăm hai mươi sáu".
pub fn number(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut out = Vec::new();
    read(n, false, &mut out);
    out.join(" ")
}

fn read(n: u64, full: bool, out: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        read(n / BILLION, full, out);
        out.push("tỷ");
        let rest = n % BILLION;
        if rest > 0 {
            read(rest, true, out);
        }
        return;
    }
    let groups = [(n / 1_000_000, "triệu"), ((n / 1000) % 1000, "nghìn")];
    let mut said = full;
    for (g, name) in groups {
        if g > 0 {
            under_thousand(g, said, out);
            out.push(name);
            said = true;
        }
    }
    let last = n % 1000;
    if last > 0 {
        under_thousand(last, said, out);
    }
}

/// Reads a decimal written with a comma: "2,5" → "hai phẩy năm". The part
/// after the comma is read as a number, or digit by digit when it starts
/// with 0 ("2,05" → "hai phẩy không năm").
pub fn decimal(whole: u64, frac: &str) -> String {
    let frac_words = if frac.starts_with('0') || frac.len() > 6 {
        digits(frac)
    } else {
        frac.parse::<u64>()
            .map(number)
            .unwrap_or_else(|_| digits(frac))
    };
    format!("{} phẩy {frac_words}", number(whole))
}
