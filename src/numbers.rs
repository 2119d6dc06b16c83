//! Numbers as the reports and messages write them: rounded to a number
//! of decimals, never "-0.0".

/// `x` rounded to `digits` decimals.
pub fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

/// `x` rounded to `digits` decimals as a number to show: never −0 (a start
/// error of −0.001 ms is "0.00", not "-0.00").
pub fn shown(x: f64, digits: usize) -> f64 {
    // −0.0 + 0.0 is +0.0.
    round(x, digits as i32) + 0.0
}

/// `x` written with `digits` decimals, never "-0.00": every number the
/// text, HTML and xlsx renderers write as text goes through here.
pub fn fixed(x: f64, digits: usize) -> String {
    let v = shown(x, digits);
    // `v` is already a whole number of 10^-digits: written from that
    // integer, as `{:.*}` would (which costs a big-number division for
    // many values, a few per cent of a report).
    let k = 10f64.powi(digits as i32);
    let n = (v * k).round();
    if digits == 0 || digits > 6 || !n.is_finite() || n.abs() >= 1e15 {
        return format!("{:.*}", digits, v);
    }
    let n = n as i64;
    let k = k as i64;
    let (whole, part) = (n.unsigned_abs() / k as u64, n.unsigned_abs() % k as u64);
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{whole}.{part:0digits$}")
}
