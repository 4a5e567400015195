//! Writes one sample of each chart as SVG and PNG into the directory given as the first argument
//! (default `target/chart-samples`), for looking at them: `cargo run -p gnv-render --example charts`.

use gnv_render::chart::*;

fn main() -> Result<(), String> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/chart-samples".into());
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let line = line_chart(&LineChart {
        title: "Återinskrivningar inom 30 dagar, 65 år och äldre".into(),
        description: "Exempeldata".into(),
        unit: "procent".into(),
        x_labels: (2015..=2025).map(|y| y.to_string()).collect(),
        series: vec![
            Series {
                name: "Avesta".into(),
                values: (0..11).map(|i| if i == 4 { None } else { Some(17.0 - i as f64 * 0.2) }).collect(),
            },
            Series {
                name: "Dalarnas län".into(),
                values: (0..11).map(|i| Some(16.0 - i as f64 * 0.1)).collect(),
            },
            Series { name: "Riket".into(), values: (0..11).map(|i| Some(15.2 - i as f64 * 0.12)).collect() },
        ],
        decimals: 1,
        width: 720,
        height: 360,
    });
    let bars = bar_chart(&BarChart {
        title: "Områden och arbetssätt som startats eller stärkts".into(),
        description: "Exempeldata".into(),
        unit: "antal kommuner".into(),
        bars: ["Mobila team", "Fast vårdkontakt", "Gemensam journal", "Läkemedelsautomater", "SIP"]
            .iter()
            .enumerate()
            .map(|(i, l)| Bar { label: l.to_string(), value: Some(14.0 - 3.0 * i as f64), highlight: i == 1 })
            .collect(),
        references: vec![Reference { label: "Hälften av kommunerna".into(), value: 7.5 }],
        decimals: 0,
        horizontal: true,
        range: Some((0.0, 15.0)),
        width: 720,
    });
    let grouped = grouped_bar_chart(&GroupedBarChart {
        title: "Självskattning, medelvärde per delmål".into(),
        description: "Exempeldata".into(),
        unit: "skala 1–5".into(),
        categories: [
            "Nära för mig",
            "Nära för alla",
            "Nära i hela Dalarna",
            "Nära mellan oss",
            "Nära till hälsa",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        groups: vec![
            Series {
                name: "2023".into(),
                values: vec![Some(3.1), Some(2.8), Some(2.5), Some(3.5), Some(3.0)],
            },
            Series {
                name: "2024".into(),
                values: vec![Some(3.2), Some(2.9), Some(2.6), Some(3.4), Some(3.1)],
            },
        ],
        decimals: 1,
        range: Some((1.0, 5.0)),
        width: 720,
        height: 360,
    });
    for (name, svg) in [("linje", line), ("stapel", bars), ("grupperad", grouped)] {
        std::fs::write(format!("{dir}/{name}.svg"), &svg).map_err(|e| e.to_string())?;
        std::fs::write(format!("{dir}/{name}.png"), svg_to_png(&svg, 1.5)?).map_err(|e| e.to_string())?;
    }
    println!("Skrev exempeldiagram till {dir}");
    Ok(())
}
