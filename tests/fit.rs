//! `fit`'s statistics on samples whose law is known: the log-normal is recovered from its
//! own draws, a bimodal sample falls back to the observations, and the Kolmogorov-Smirnov
//! decision goes each way where it should.

use deploysim::import::fit::{
    LogNormal, Model, fit_key, ks_critical_5pct, ks_rejects, ks_statistic,
};
use deploysim::scenario::standard_normal_quantile;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// `n` draws of a log-normal with this median and p95, by inverse transform.
fn draws(median: f64, p95: f64, n: usize, seed: u64) -> Vec<f64> {
    let law = LogNormal::from_median_p95(median, p95);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let u = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            (law.mu + law.sigma * standard_normal_quantile(u)).exp()
        })
        .collect()
}

fn within(got: f64, want: f64, share: f64) -> bool {
    (got - want).abs() <= share * want
}

/// n = 200 draws of lognormal(median = 25 s, p95 = 40 s): sigma = ln(1.6) / 1.645 = 0.286,
/// so the fitted median's standard error is about 0.286 / sqrt(200) = 2% and the p95's
/// about 0.286 * sqrt((1 + 1.645^2 / 2) / 200) = 3%: 10% is over three standard errors.
/// Five seeds, every one must recover both within 10% and keep the log-normal.
#[test]
fn recovers_a_known_lognormal_from_200_draws() {
    for seed in 1..=5 {
        let sample = draws(25.0, 40.0, 200, seed);
        let fit = fit_key("launch.image_pull", "test", &sample);
        let law = fit.lognormal.expect("all draws are positive");
        assert!(
            within(law.median(), 25.0, 0.10),
            "seed {seed}: median {}",
            law.median()
        );
        assert!(
            within(law.p95(), 40.0, 0.10),
            "seed {seed}: p95 {}",
            law.p95()
        );
        assert!(
            matches!(fit.model, Model::LogNormal(_)),
            "seed {seed}: a sample of the law itself was rejected: {:?}",
            fit.model
        );
    }
}

/// Half the tasks pull from a warm cache (about 2 s), half pull the whole image (about
/// 60 s): no single log-normal has that shape, and the test must say so.
#[test]
fn bimodal_sample_falls_back_to_empirical() {
    let mut sample = draws(2.0, 3.0, 100, 7);
    sample.extend(draws(60.0, 80.0, 100, 8));
    let fit = fit_key("launch.image_pull", "test", &sample);
    let d = fit.ks_distance.expect("tested");
    assert!(
        ks_rejects(d, 200),
        "D = {d} should exceed {}",
        ks_critical_5pct(200)
    );
    match &fit.model {
        Model::Empirical(why) => assert!(why.contains("Kolmogorov-Smirnov"), "{why}"),
        other => panic!("expected the empirical fallback, got {other:?}"),
    }
}

/// The decision on data, both sides: the fitted law's own quantiles (D is then tiny)
/// are kept; the same sample with its top fifth moved far out is rejected.
#[test]
fn ks_decision_on_both_sides() {
    let law = LogNormal::from_median_p95(10.0, 30.0);
    let n = 100;
    let exact: Vec<f64> = (0..n)
        .map(|i| law.quantile((i as f64 + 0.5) / n as f64))
        .collect();
    let kept = fit_key("k", "test", &exact);
    assert!(
        matches!(kept.model, Model::LogNormal(_)),
        "{:?}",
        kept.model
    );
    // The KS distance of the exact quantiles against their own law is 0.5 / n (up to the
    // normal CDF's 1e-7 approximation error).
    let d = ks_statistic(&exact, |x| law.cdf(x));
    assert!((d - 0.5 / n as f64).abs() < 1e-6, "D = {d}");

    let mut spoiled = exact.clone();
    for v in spoiled.iter_mut().skip(80) {
        *v *= 50.0;
    }
    let rejected = fit_key("k", "test", &spoiled);
    assert!(
        matches!(rejected.model, Model::Empirical(_)),
        "{:?}",
        rejected.model
    );
    assert!(rejected.ks_distance.unwrap() > rejected.ks_critical.unwrap());
}

/// The test's size: on samples drawn from a log-normal itself, a 5% test rejects about 5%
/// of them. 1,000 samples of n = 100: the count of rejections is binomial(1000, 0.05),
/// mean 50, standard deviation 6.9; 29..=71 is three standard deviations. The plain KS
/// critical value (1.358 / sqrt(n), which ignores that the parameters were estimated)
/// would reject well under 1% and fail here.
#[test]
fn ks_test_rejects_about_five_percent_of_true_lognormal_samples() {
    let rejected = (0..1000)
        .filter(|seed| {
            let fit = fit_key("k", "test", &draws(25.0, 60.0, 100, 1000 + seed));
            !matches!(fit.model, Model::LogNormal(_))
        })
        .count();
    assert!(
        (29..=71).contains(&rejected),
        "{rejected} of 1000 true log-normal samples rejected at 5%"
    );
}
