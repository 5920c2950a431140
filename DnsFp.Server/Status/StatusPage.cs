using System.Globalization;
using System.Text;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Metrics;
using DnsFp.Server.Ratings;
using DnsFp.Server.Zones;
using Microsoft.AspNetCore.Http;

namespace DnsFp.Server.Status;

/// <summary>
/// "/": the article's table live (class, accepted, rejected, spam ratio, band) with its chart, the window it covers,
/// the server's health and the address lookup form. "/class?name=Linux": the same for each label of one class, with
/// the level that rated it and its SYN signature key.
/// </summary>
internal sealed class StatusPage(StatusSnapshot snapshot, IndexHolder index, ServerHealth health, ZoneSet zones)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task OverviewAsync(HttpContext context)
    {
        if (await ReadWindowAsync(context) is not { } window) return;
        var body = new StringBuilder();
        body.Append("<h1>dnsfp: spam ratio by operating system</h1>");
        body.Append("<p class=\"muted\">").Append(Encode(string.Join(", ", zones.Zones.Select(z => z.Name)))).Append(" · ").Append(Encode(WindowText(window))).Append("</p>");
        body.Append("<h2>Spam ratio per OS class</h2>");
        body.Append(SpamRatioChart.Render(window.Classes));
        body.Append("<table id=\"classes\"><thead><tr><th>OS class</th><th>accepted</th><th>rejected</th><th>spam ratio</th><th>band</th></tr></thead><tbody>");
        foreach (var c in window.Classes)
        {
            body.Append(Inv, $"<tr data-class=\"{Encode(c.Name)}\"><td><a href=\"/class?name={Uri.EscapeDataString(c.Name)}\">{Encode(c.Name)}</a></td>")
                .Append(Inv, $"<td>{c.Accepted}</td><td>{c.Rejected}</td><td>{100 * c.SpamRatio:0.0}%</td><td>{BandCell(c.Band)}</td></tr>");
        }
        long accepted = window.Classes.Sum(c => c.Accepted), rejected = window.Classes.Sum(c => c.Rejected);
        body.Append(Inv, $"</tbody><tfoot><tr><td>total</td><td>{accepted}</td><td>{rejected}</td><td>{(accepted + rejected == 0 ? 0 : 100.0 * rejected / (accepted + rejected)):0.0}%</td><td></td></tr></tfoot></table>");
        body.Append(Inv, $"<p class=\"muted\">A class's band is what its own verdicts give once they reach {window.MinimumVerdicts} (Bands:MinimumVerdicts); each listing is rated by its label first (follow a class). The same verdicts <a href=\"/signatures\">per SYN signature</a>.</p>");
        AppendLookupForm(body, "");
        AppendHealth(body);
        await HtmlDocument.WriteAsync(context, "dnsfp status", body.ToString());
    }

    public async Task ClassAsync(HttpContext context)
    {
        string? name = context.Request.Query["name"];
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            await HtmlDocument.WriteAsync(context, "dnsfp: bad request", "<h1>Which class?</h1><p>Ask for /class?name=Linux (a class from the table).</p>", StatusCodes.Status400BadRequest);
            return;
        }
        if (await ReadWindowAsync(context) is not { } window) return;
        var labels = window.Labels.Where(l => l.Class == name && l.Accepted + l.Rejected > 0)
            .OrderByDescending(l => l.Accepted + l.Rejected).ThenBy(l => l.Label, StringComparer.Ordinal).ToList();
        if (labels.Count == 0)
        {
            await HtmlDocument.WriteAsync(context, "dnsfp: no such class", $"<h1>No verdicts for class {Encode(name)}</h1><p>{Encode(WindowText(window))}.</p>", StatusCodes.Status404NotFound);
            return;
        }
        var body = new StringBuilder();
        body.Append("<h1>").Append(Encode(name)).Append(": labels</h1><p class=\"muted\">").Append(Encode(WindowText(window))).Append("</p>");
        body.Append("<table id=\"labels\"><thead><tr><th>label</th><th>accepted</th><th>rejected</th><th>spam ratio</th><th>band</th><th>rated by</th><th>SYN signature</th></tr></thead><tbody>");
        foreach (var l in labels)
        {
            var rating = window.Ratings[l.Id];
            long total = l.Accepted + l.Rejected;
            string signature = Contract.SynSignature.KeyOfLabel(l.Label) ?? "";
            body.Append(Inv, $"<tr><td>{Encode(Contract.SynSignature.NameOf(l.Label))}</td><td>{l.Accepted}</td><td>{l.Rejected}</td><td>{100.0 * l.Rejected / total:0.0}%</td>")
                .Append(Inv, $"<td>{BandCell(rating.Band)}</td><td>{Encode(RatingLevel.Describe(rating.Basis, l.Label, l.Class) ?? "unrated")}</td><td><code>{Encode(signature)}</code></td></tr>");
        }
        body.Append("</tbody></table>");
        await HtmlDocument.WriteAsync(context, "dnsfp: " + name, body.ToString());
    }

    /// <summary>"/signatures": one row per SYN signature key with the names seen for it, as "stats --by signature".</summary>
    public async Task SignaturesAsync(HttpContext context)
    {
        if (await ReadWindowAsync(context) is not { } window) return;
        var body = new StringBuilder();
        body.Append("<h1>Spam ratio per SYN signature</h1><p class=\"muted\">").Append(Encode(WindowText(window)))
            .Append("; (none): labels without a signature (from PF, or imported by name)</p>");
        body.Append("<table id=\"signatures\"><thead><tr><th>SYN signature</th><th>accepted</th><th>rejected</th><th>spam ratio</th><th>names seen</th></tr></thead><tbody>");
        foreach (var s in StatsRow.Build(window.Labels, window.Ratings, StatsRow.Grouping.Signature, window.MinimumVerdicts))
        {
            body.Append(Inv, $"<tr><td><code>{Encode(s.Name)}</code></td><td>{s.Accepted}</td><td>{s.Rejected}</td><td>{100 * s.SpamRatio:0.0}%</td><td>{Encode(s.Class)}</td></tr>");
        }
        body.Append("</tbody></table>");
        await HtmlDocument.WriteAsync(context, "dnsfp: signatures", body.ToString());
    }

    /// <summary>The verdict window, or null after answering 503: the table comes from Redis (DNS does not).</summary>
    private async Task<StatusSnapshot.Window?> ReadWindowAsync(HttpContext context)
    {
        try
        {
            return await snapshot.GetAsync();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            var body = new StringBuilder("<h1>Redis is not answering</h1><p>The table is read from Redis; DNS goes on answering from memory.</p>");
            AppendHealth(body);
            await HtmlDocument.WriteAsync(context, "dnsfp: Redis unavailable", body.ToString(), StatusCodes.Status503ServiceUnavailable);
            return null;
        }
    }

    private void AppendHealth(StringBuilder body)
    {
        double rtt = health.RedisRoundTripSeconds;
        body.Append("<h2>Health</h2><dl id=\"health\">");
        body.Append("<dt>Redis</dt><dd>").Append(rtt >= 0 ? string.Create(Inv, $"<span class=\"ok\">up</span>, {rtt * 1000:0.0} ms round trip") : "<span class=\"bad\">not answering</span>").Append("</dd>");
        var age = health.IndexAgeSeconds;
        body.Append("<dt>Index</dt><dd>").Append(Inv, $"{index.Addresses.Count} addresses, {index.Labels.Count} labels; ")
            .Append(age is { } a ? string.Create(Inv, $"in step with Redis {a:0.0} s ago") : "<span class=\"bad\">not loaded yet</span>").Append("</dd>");
        long backlog = health.FoldBacklog;
        body.Append("<dt>Fold backlog</dt><dd>").Append(backlog >= 0 ? string.Create(Inv, $"{backlog} facts waiting") : "unknown").Append("</dd>");
        body.Append(Inv, $"<dt>Delistings</dt><dd>{index.Policy.Delistings.Count} in force</dd></dl>");
    }

    internal static void AppendLookupForm(StringBuilder body, string address) =>
        body.Append("<h2>Look up an address</h2><form action=\"/lookup\" method=\"get\"><label>IPv4 or IPv6 address <input type=\"text\" name=\"address\" maxlength=\"45\" value=\"")
            .Append(Encode(address)).Append("\" placeholder=\"192.0.2.7\"></label> <button type=\"submit\">look up</button></form>");

    private static string WindowText(StatusSnapshot.Window w)
    {
        var today = DateOnly.FromDateTime(w.TakenAt.UtcDateTime);
        return string.Create(Inv, $"verdicts of the last {w.Days} days ({today.AddDays(1 - w.Days):yyyy-MM-dd} to {today:yyyy-MM-dd}, UTC), read {w.TakenAt:HH:mm:ss} UTC");
    }

    private static string BandCell(uint? band) => band is { } b ? $"<span title=\"{Encode(BandTable.Meaning(b))}\">{BandTable.ToText(b)}</span>" : "";

    private static string Encode(string text) => HtmlDocument.Encode(text);
}
