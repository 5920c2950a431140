using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DnsFp.Server.Status;

/// <summary>
/// The frame of every page: one self-contained HTML document (inline style, no script, no fonts or images from
/// elsewhere), sent with a Content-Security-Policy that forbids anything else being loaded.
/// </summary>
internal static class HtmlDocument
{
    private const string Style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:64em;padding:0 1em;color:#1b1b1b;background:#fff}
        h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .4em}
        table{border-collapse:collapse;margin:.4em 0}th,td{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:right}
        th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #888}tfoot td{font-weight:600}
        .muted{color:#666}.ok{color:#1b5e20}.bad{color:#b71c1c}pre{background:#f5f5f5;padding:.8em;overflow-x:auto}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#555}dd{margin:0}
        form{margin:.4em 0}input[type=text]{width:22em;padding:.25em}svg{max-width:100%;height:auto}
        """;

    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static Task WriteAsync(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        var page = new StringBuilder(body.Length + 2048)
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n")
            .Append(body)
            .Append("\n<p class=\"muted\"><a href=\"/\">status</a> · <a href=\"/metrics\">metrics</a> · <a href=\"/health\">health</a> · dnsfp ")
            .Append(Encode(typeof(HtmlDocument).Assembly.GetName().Version?.ToString(3) ?? "")).Append("</p></body></html>\n");
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(page.ToString());
    }
}
