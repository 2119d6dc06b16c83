use super::*;

#[test]
fn percentiles_use_the_nearest_rank_and_worst_keeps_its_sign() {
    let a = accuracy(vec![3.0, -12.5, 1.0, 2.0, 4.0]);
    assert_eq!(a.count, 5);
    assert_eq!(a.median_ms, Some(2.0));
    assert_eq!(a.p95_ms, Some(4.0));
    assert_eq!(a.worst_ms, Some(-12.5));
    assert_eq!(accuracy(vec![]), Accuracy::default());
    let many: Vec<f64> = (1..=100).map(f64::from).collect();
    let a = accuracy(many);
    assert_eq!(
        (a.median_ms, a.p95_ms, a.worst_ms),
        (Some(50.0), Some(95.0), Some(100.0))
    );
}
