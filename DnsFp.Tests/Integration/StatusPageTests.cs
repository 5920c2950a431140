using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The server's HTTP listener (Server:Http) against the sample data, from the outside: the status page rendered by
/// the real chromium and compared with "dnsfp-server stats --format json" and "lookup"; /metrics scraped, parsed as
/// the Prometheus text format and compared with a known dig workload; hostile requests answered 4xx while DNS goes
/// on answering; basic authentication on every path.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class StatusPageTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private DnsFpServer _server = null!;
    private int _httpPort;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var import = await Support.Agent.ImportAsync(_redis.Endpoint, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"));
        Assert.True(import.ExitCode == 0, import.Errors);
        (_server, _httpPort) = await StartServerAsync();
    }

    private async Task<(DnsFpServer, int)> StartServerAsync(params (string Key, string Value)[] settings)
    {
        int http = FreePort.Tcp();
        var all = new Dictionary<string, string?> { ["Server:Http:Listen"] = $"127.0.0.1:{http}" };
        foreach (var (k, v) in settings) all[k] = v;
        var server = await DnsFpServer.StartAsync(_redis.Endpoint, settings: all, asProcess: true);
        await Dig.WaitForAsync(server.Port, "10.2.0.192.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.19"]), TimeSpan.FromSeconds(20));
        return (server, http);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private string Url(string path) => $"http://127.0.0.1:{_httpPort}{path}";

    [Fact]
    public async Task The_page_in_a_browser_shows_the_stats_table_with_one_bar_per_class()
    {
        var stats = await Cli.RunAsync("dnsfp-server", "stats", "--redis", _redis.Endpoint, "--format", "json");
        Assert.True(stats.ExitCode == 0, stats.Errors);
        var expected = JsonDocument.Parse(stats.Output).RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => (Name: r.GetProperty("name").GetString()!, Accepted: r.GetProperty("accepted").GetInt64(), Rejected: r.GetProperty("rejected").GetInt64(),
                Ratio: r.GetProperty("spamRatio").GetDouble(), Band: r.GetProperty("band").GetString()!)).ToList();
        Assert.True(expected.Count >= 4, stats.Output);                       // the sample has AIX, Linux, Windows, FreeBSD, Unknown

        string dom = await Chromium.DumpDomAsync(Url("/"));
        var rows = ClassRow().Matches(dom).Select(m => (Name: WebUtility.HtmlDecode(m.Groups["name"].Value), Accepted: long.Parse(m.Groups["acc"].Value),
            Rejected: long.Parse(m.Groups["rej"].Value), Ratio: m.Groups["ratio"].Value, Band: m.Groups["band"].Value)).ToList();
        Assert.Equal(expected.Select(e => (e.Name, e.Accepted, e.Rejected, (100 * e.Ratio).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%", e.Band)),
            rows.Select(r => (r.Name, r.Accepted, r.Rejected, r.Ratio, r.Band)));

        // the chart: one bar per class, in the table's order, each with the class's ratio and volume
        var bars = Bar().Matches(dom).Select(m => (Name: WebUtility.HtmlDecode(m.Groups["name"].Value), Ratio: double.Parse(m.Groups["ratio"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Verdicts: long.Parse(m.Groups["n"].Value))).ToList();
        Assert.Equal(expected.Select(e => e.Name), bars.Select(b => b.Name));
        foreach (var (e, b) in expected.Zip(bars))
        {
            Assert.Equal(e.Ratio, b.Ratio, 5);
            Assert.Equal(e.Accepted + e.Rejected, b.Verdicts);
        }
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("verdicts of the last 7 days", dom, StringComparison.Ordinal);
        Assert.Matches(@"Redis</dt><dd><span class=""ok"">up</span>", dom);
        Assert.DoesNotMatch(@"<(script|link|img)\b", dom);                      // nothing loaded from elsewhere, no script

        // the screenshot the README shows (copied to docs/status-page.png by hand when the page changes)
        string png = Path.Combine(AppContext.BaseDirectory, "status-page.png");
        File.Delete(png);
        await Chromium.ScreenshotAsync(Url("/"), png);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(1100, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));    // IHDR width
    }

    [Fact]
    public async Task Class_drill_down_and_address_lookup_say_what_the_commands_say()
    {
        var stats = await Cli.RunAsync("dnsfp-server", "stats", "--redis", _redis.Endpoint, "--by", "label", "--format", "json");
        var windows = JsonDocument.Parse(stats.Output).RootElement.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("class").GetString() == "Windows")
            .Select(r => (DnsFp.Contract.SynSignature.NameOf(r.GetProperty("name").GetString()!), r.GetProperty("accepted").GetInt64(), r.GetProperty("rejected").GetInt64(), r.GetProperty("band").GetString()!)).ToList();
        Assert.True(windows.Count >= 2, stats.Output);
        string dom = await Chromium.DumpDomAsync(Url("/class?name=Windows"));
        var labels = LabelRow().Matches(dom).Select(m => (WebUtility.HtmlDecode(m.Groups["name"].Value), long.Parse(m.Groups["acc"].Value), long.Parse(m.Groups["rej"].Value), m.Groups["band"].Value)).ToList();
        Assert.Equal(windows, labels);

        var bySignature = await Cli.RunAsync("dnsfp-server", "stats", "--redis", _redis.Endpoint, "--by", "signature", "--format", "json");
        var signatures = JsonDocument.Parse(bySignature.Output).RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("accepted").GetInt64(), r.GetProperty("rejected").GetInt64(), r.GetProperty("names").GetString()!)).ToList();
        Assert.NotEmpty(signatures);
        dom = await Chromium.DumpDomAsync(Url("/signatures"));
        Assert.Equal(signatures, SignatureRow().Matches(dom).Select(m => (WebUtility.HtmlDecode(m.Groups["key"].Value), long.Parse(m.Groups["acc"].Value),
            long.Parse(m.Groups["rej"].Value), WebUtility.HtmlDecode(m.Groups["names"].Value))));

        foreach (var address in new[] { "192.0.2.10", "198.51.100.250" })       // listed, and never seen
        {
            var lookup = await Cli.RunAsync("dnsfp-server", "lookup", address, "--redis", _redis.Endpoint);
            string page = await Chromium.DumpDomAsync(Url("/lookup?address=" + address));
            var pre = Regex.Match(page, "<pre id=\"lookup\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(pre.Success, page);
            Assert.Equal(lookup.Output.TrimEnd(), WebUtility.HtmlDecode(pre.Groups[1].Value).TrimEnd());
        }
    }

    [Fact]
    public async Task Metrics_count_a_known_dig_workload()
    {
        var before = PrometheusText.Parse(await Http.GetStringAsync(Url("/metrics")));
        for (int i = 0; i < 6; i++) await Dig.ShortAsync(_server.Port, "10.2.0.192.fp.example.org", "A");                 // listed, 127.0.0.19
        for (int i = 0; i < 3; i++) await Dig.ShortAsync(_server.Port, "10.2.0.192.fp.example.org", "TXT", "+tcp");       // listed, over TCP
        for (int i = 0; i < 4; i++) await Dig.ShortAsync(_server.Port, "99.99.0.192.fp.example.org", "A");                // not listed
        for (int i = 0; i < 2; i++) await Dig.ShortAsync(_server.Port, "example.com", "A");                               // not ours
        var scrape = await Http.GetAsync(Url("/metrics"));
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var after = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync());

        double Delta(string name, params string[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(6, Delta("dnsfp_server_queries_total", "transport=udp", "rcode=NOERROR", "type=A"));
        Assert.Equal(3, Delta("dnsfp_server_queries_total", "transport=tcp", "rcode=NOERROR", "type=TXT"));
        Assert.Equal(4, Delta("dnsfp_server_queries_total", "transport=udp", "rcode=NXDOMAIN", "type=A"));
        Assert.Equal(2, Delta("dnsfp_server_queries_total", "transport=udp", "rcode=REFUSED", "type=A"));
        Assert.Equal(15, Delta("dnsfp_server_queries_total"));
        Assert.Equal(9, Delta("dnsfp_server_answers_total", "band=127.0.0.19"));
        Assert.Equal(9, Delta("dnsfp_server_answers_total"));
        Assert.Equal(3, Delta("dnsfp_server_tcp_connections_total"));
        Assert.Equal("counter", after.Types["dnsfp_server_queries_total"]);

        // the index and the ingest side: what the sample import put there
        Assert.Equal(7, after.Value("dnsfp_server_index_labels"));
        Assert.True(after.Value("dnsfp_server_index_entries", "family=ipv4") >= 7);
        Assert.Equal(1, after.Value("dnsfp_server_redis_up"));
        Assert.Equal("histogram", after.Types["dnsfp_server_index_delay_seconds"]);
        Assert.True(after.Value("dnsfp_server_fold_facts_total") >= 475, "the sample's 475 verdicts (and its observations) were folded");
        Assert.Equal(after.Value("dnsfp_server_fold_delay_seconds_count"), after.Value("dnsfp_server_fold_delay_seconds_bucket", "le=+Inf"));

        // every server metric the shipped Grafana dashboard charts is one the server exports
        var charted = GrafanaDashboard.MetricFamilies("dnsfp_server_");
        Assert.True(charted.Count >= 8, string.Join(", ", charted));
        Assert.All(charted, name => Assert.True(after.Types.ContainsKey(name), $"deploy/grafana/dnsfp.json charts {name}, which /metrics does not have"));
    }

    [Fact]
    public async Task Hostile_requests_get_4xx_and_dns_goes_on_answering()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync(Url("/lookup?address=%3Cscript%3Ealert(1)%3C/script%3E"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync(Url("/lookup?address=1.2.3"))).StatusCode);
        var badLookup = await Http.GetAsync(Url("/lookup?address=%3Cscript%3E"));
        Assert.DoesNotContain("<script>", await badLookup.Content.ReadAsStringAsync(), StringComparison.Ordinal);   // echoed, but encoded
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(Url("/class?name=%3Cimg%20src=x%3E"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Http.PostAsync(Url("/"), new StringContent("x"))).StatusCode);

        // raw requests, as a scanner sends them
        Assert.StartsWith("HTTP/1.1 404", await RawAsync("GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", await RawAsync("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 431", await RawAsync($"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 414", await RawAsync($"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", await RawAsync("\u0001\u0002garbage\r\n\r\n"), StringComparison.Ordinal);

        Assert.Equal(["127.0.0.19"], await Dig.ShortAsync(_server.Port, "10.2.0.192.fp.example.org", "A"));
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Url("/health"))).StatusCode);
    }

    [Fact]
    public async Task Basic_authentication_guards_every_path()
    {
        var (server, port) = await StartServerAsync(("Server:Http:User", "ops"), ("Server:Http:Password", "s3cret pass"));
        await using var _ = server;
        foreach (var path in new[] { "/", "/metrics", "/health", "/lookup?address=192.0.2.10", "/nowhere" })
        {
            string url = $"http://127.0.0.1:{port}{path}";
            var none = await Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("Basic", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(url, "ops:wrong")).StatusCode);
            Assert.Equal(path == "/nowhere" ? HttpStatusCode.NotFound : HttpStatusCode.OK, (await GetAsync(url, "ops:s3cret pass")).StatusCode);
        }
    }

    [Fact]
    public async Task A_bad_or_busy_http_address_stops_the_server_with_a_clear_error()
    {
        var bad = await Cli.RunAsync("dnsfp-server", "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", _redis.Endpoint, "--http", "localhost:80");
        Assert.Equal(78, bad.ExitCode);
        Assert.Contains("Http:Listen 'localhost:80' is not an address:port", bad.Errors, StringComparison.Ordinal);

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var taken = await Cli.RunAsync("dnsfp-server", "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", _redis.Endpoint, "--http", $"127.0.0.1:{port}");
        Assert.Equal(78, taken.ExitCode);
        Assert.Contains($"cannot serve HTTP on 127.0.0.1:{port} (Http:Listen)", taken.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_redis_away_the_page_says_so_and_dns_answers_from_memory()
    {
        await _redis.StopAsync();
        try
        {
            // the health probe notices within its interval and a command timeout (5 s)
            var started = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage health;
            while ((health = await Http.GetAsync(Url("/health"))).StatusCode == HttpStatusCode.OK && started.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(250);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.StartsWith("Redis is not answering", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await Task.Delay(StatusSnapshotMaxAge);
            var page = await Http.GetAsync(Url("/"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("Redis is not answering", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(["127.0.0.19"], await Dig.ShortAsync(_server.Port, "10.2.0.192.fp.example.org", "A"));
        }
        finally
        {
            await _redis.StartAgainAsync();
        }
    }

    private static readonly TimeSpan StatusSnapshotMaxAge = DnsFp.Server.Status.StatusSnapshot.MaxAge + TimeSpan.FromSeconds(1);

    private static Task<HttpResponseMessage> GetAsync(string url, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return Http.SendAsync(request);
    }

    private async Task<string> RawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _httpPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.Latin1.GetString(buffer, 0, n);
    }

    [GeneratedRegex("<tr data-class=\"(?<name>[^\"]*)\"><td><a [^>]*>[^<]*</a></td><td>(?<acc>\\d+)</td><td>(?<rej>\\d+)</td><td>(?<ratio>[\\d.]+%)</td><td><span [^>]*>(?<band>[\\d.]+)</span></td></tr>")]
    private static partial Regex ClassRow();

    [GeneratedRegex("<tr><td><code>(?<key>[^<]*)</code></td><td>(?<acc>\\d+)</td><td>(?<rej>\\d+)</td><td>[\\d.]+%</td><td>(?<names>[^<]*)</td></tr>")]
    private static partial Regex SignatureRow();

    [GeneratedRegex("<g class=\"bar\" data-class=\"(?<name>[^\"]*)\" data-spam-ratio=\"(?<ratio>[\\d.]+)\" data-verdicts=\"(?<n>\\d+)\">")]
    private static partial Regex Bar();

    [GeneratedRegex("<tr><td>(?<name>[^<]*)</td><td>(?<acc>\\d+)</td><td>(?<rej>\\d+)</td><td>[\\d.]+%</td><td><span [^>]*>(?<band>[\\d.]+)</span></td>")]
    private static partial Regex LabelRow();
}
