using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>Debian's chromium, headless, as a user's browser: the DOM it built from a page, or a screenshot of it.</summary>
public static class Chromium
{
    public static string Path => File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new FileNotFoundException("chromium is not installed (apt-get install chromium); test.sh and .ci/run install it");

    /// <summary>The document after parsing (and any script, of which the pages have none), serialised.</summary>
    public static async Task<string> DumpDomAsync(string url) => (await RunAsync("--dump-dom", url)).Output;

    public static async Task ScreenshotAsync(string url, string file, int width = 1100, int height = 1000)
    {
        var result = await RunAsync($"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars", url);
        if (!File.Exists(file)) throw new InvalidOperationException("chromium wrote no screenshot: " + result.Errors);
    }

    private static async Task<(string Output, string Errors)> RunAsync(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("dnsfp-chromium-");
        try
        {
            var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // --no-sandbox: the tests run as root in CI, where chromium's sandbox refuses to start
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile.FullName}" }.Concat(args))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await p.WaitForExitAsync(timeout.Token);
            return (await output, await errors);
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
