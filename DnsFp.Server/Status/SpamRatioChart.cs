using System.Globalization;
using System.Text;
using DnsFp.Server.Ratings;

namespace DnsFp.Server.Status;

/// <summary>
/// The article's table as a picture, drawn on the server as SVG (no script, no chart library): one bar per OS class,
/// its length the spam ratio, its colour the band's severity, and beneath it a thin grey bar whose length is the
/// class's share of the verdicts (the largest class spans the width), so a 100 % of three messages does not look
/// like a 97 % of a million.
/// </summary>
internal static class SpamRatioChart
{
    private const int LabelWidth = 190, BarWidth = 520, ValueWidth = 150, RowHeight = 34, Top = 26;

    public static string Render(IReadOnlyList<StatsRow> classes)
    {
        var inv = CultureInfo.InvariantCulture;
        int height = Top + (classes.Count * RowHeight) + 8;
        int width = LabelWidth + BarWidth + ValueWidth;
        long largest = classes.Count == 0 ? 1 : Math.Max(1, classes.Max(c => c.Total));
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"spam-chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"system-ui,sans-serif\" font-size=\"13\">");
        svg.Append("<title>Spam ratio per OS class (bar) and share of verdicts (grey line)</title>");
        for (int tick = 0; tick <= 100; tick += 25)
        {
            double x = LabelWidth + (BarWidth * tick / 100.0);
            svg.Append(inv, $"<line x1=\"{x:0.#}\" y1=\"{Top - 6}\" x2=\"{x:0.#}\" y2=\"{height - 6}\" stroke=\"#ddd\"/>");
            svg.Append(inv, $"<text x=\"{x:0.#}\" y=\"{Top - 10}\" text-anchor=\"middle\" fill=\"#666\">{tick}%</text>");
        }
        for (int i = 0; i < classes.Count; i++)
        {
            var c = classes[i];
            int y = Top + (i * RowHeight);
            double spam = BarWidth * c.SpamRatio, share = BarWidth * (double)c.Total / largest;
            string name = HtmlDocument.Encode(c.Name);
            svg.Append(inv, $"<g class=\"bar\" data-class=\"{name}\" data-spam-ratio=\"{c.SpamRatio:0.######}\" data-verdicts=\"{c.Total}\">");
            svg.Append(inv, $"<title>{name}: {100 * c.SpamRatio:0.0}% spam of {c.Total} verdicts</title>");
            svg.Append(inv, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{name}</text>");
            svg.Append(inv, $"<rect x=\"{LabelWidth}\" y=\"{y + 2}\" width=\"{Math.Max(spam, 1):0.#}\" height=\"18\" fill=\"{Colour(c.SpamRatio)}\"/>");
            svg.Append(inv, $"<rect class=\"volume\" x=\"{LabelWidth}\" y=\"{y + 23}\" width=\"{Math.Max(share, 1):0.#}\" height=\"4\" fill=\"#9e9e9e\"/>");
            svg.Append(inv, $"<text x=\"{LabelWidth + BarWidth + 8}\" y=\"{y + 15}\">{100 * c.SpamRatio:0.0}% of {c.Total}</text>");
            svg.Append("</g>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Red from 90 % spam (the band deploy/exim denies), amber from 70 % (the bands it defers), green below.</summary>
    private static string Colour(double ratio) => ratio >= 0.9 ? "#c62828" : ratio >= 0.7 ? "#f9a825" : "#2e7d32";
}
