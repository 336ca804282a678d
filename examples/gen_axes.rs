fn main() {
    for s in std::env::args().skip(1) {
        let seed: u64 = s.parse().unwrap();
        let p = jieyue::demo::gen::platform(seed);
        println!(
            "{seed} carrier={} service={:?} term={:?} axes={:?}",
            p.carrier(),
            p.service_name(),
            p.term(),
            p.axes()
        );
    }
}
