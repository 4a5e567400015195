//! Writes the example report (2024, partly demo data) in all formats to a directory:
//! `cargo run -p gnv-report --example exempel -- /tmp/rapport`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&dir)?;
    let input = gnv_exempel::rapport::input_2024();
    for f in gnv_report::Format::ALL {
        let bytes = gnv_report::render(&input, f)?;
        let path = format!("{dir}/arsrapport-2024.{}", f.ext());
        std::fs::write(&path, &bytes)?;
        println!("{path}: {} byte", bytes.len());
    }
    Ok(())
}
