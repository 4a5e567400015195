//! Timing of the full report per format (not a test): builds the example input (2024; real
//! economy, indicator summary and support activities, synthetic self-assessment, mapping and
//! survey answers) and renders it N times per format, in release mode:
//!
//! `cargo run --release -p gnv-report --example bench -- 10`
//!
//! With `--input FILE` a frozen report input (JSON, e.g. from a published report) is used.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10);
    let input = match args.iter().position(|a| a == "--input") {
        Some(i) => gnv_report::ReportInput::from_json(&std::fs::read_to_string(&args[i + 1])?)?,
        None => gnv_exempel::rapport::input_2024(),
    };
    // First render per format in this process: includes loading fonts and the Typst library
    // (cold). Typst memoises layout, so the repeated renders below of the same input are faster;
    // a new input (another year, edited narrative) costs between the two.
    for f in gnv_report::Format::ALL {
        let t = Instant::now();
        gnv_report::render(&input, f)?;
        println!("{:<5} first render (cold): {:>8.1} ms", f.ext(), t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut changed = input.clone();
    changed.narratives.insert("metodaspekter".into(), "Ändrad text för mätningen.".into());
    let t = Instant::now();
    gnv_report::render(&changed, gnv_report::Format::Pdf)?;
    println!("pdf   changed input (warm): {:>8.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(gnv_report::build(&input));
    }
    println!("build (document model): {:>8.1} ms per report", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    for f in gnv_report::Format::ALL {
        let t = Instant::now();
        let mut size = 0;
        for _ in 0..n {
            size = gnv_report::render(&input, f)?.len();
        }
        println!(
            "{:<5} full report:      {:>8.1} ms per report ({} byte, {n} runs)",
            f.ext(),
            t.elapsed().as_secs_f64() * 1000.0 / n as f64,
            size
        );
    }
    Ok(())
}
