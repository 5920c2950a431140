using System.Text;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Status;

/// <summary>
/// "/lookup?address=192.0.2.7": what "dnsfp-server lookup" prints for the address, under the policy this server
/// answers with now (its exclusions, delistings and MaxAge). A malformed address gets 400 and says how to write one.
/// </summary>
internal sealed class LookupPage(IConnectionMultiplexer redis, IndexHolder index, IOptions<BandOptions> bands, TimeProvider time)
{
    public async Task LookupAsync(HttpContext context)
    {
        string text = ((string?)context.Request.Query["address"] ?? "").Trim();
        var body = new StringBuilder();
        if (text.Length > 45 || !AddressRange.TryParse(text, out var range, out _) || range.Value.Network.PrefixLength != (range.Value.IsV4 ? 32 : 128))
        {
            body.Append("<h1>Not an IP address</h1><p>").Append(HtmlDocument.Encode(text.Length > 45 ? text[..45] + "…" : text))
                .Append(" is not an IP address: write 192.0.2.7 or 2001:db8::7.</p>");
            StatusPage.AppendLookupForm(body, "");
            await HtmlDocument.WriteAsync(context, "dnsfp: bad address", body.ToString(), StatusCodes.Status400BadRequest);
            return;
        }
        var address = range.Value.Network.BaseAddress;
        ListingExplanation explanation;
        try
        {
            explanation = await ListingExplanation.ReadAsync(redis.GetDatabase(), address, index.Policy, bands.Value, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await HtmlDocument.WriteAsync(context, "dnsfp: Redis unavailable", "<h1>Redis is not answering</h1><p>The lookup reads Redis; DNS goes on answering from memory.</p>", StatusCodes.Status503ServiceUnavailable);
            return;
        }
        bool listed = explanation.Status == ListingStatus.Listed;
        body.Append("<h1>").Append(HtmlDocument.Encode(address.ToString())).Append(listed ? ": listed" : ": not listed").Append("</h1>");
        body.Append("<pre id=\"lookup\">").Append(HtmlDocument.Encode(explanation.ToText())).Append("</pre>");
        StatusPage.AppendLookupForm(body, address.ToString());
        await HtmlDocument.WriteAsync(context, "dnsfp: " + address, body.ToString());
    }
}
