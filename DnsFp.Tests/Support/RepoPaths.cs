namespace DnsFp.Tests.Support;

/// <summary>Where test inputs are: copies next to the test assembly, and ../shared/reference when it is present.</summary>
public static class RepoPaths
{
    public static string Zones => Path.Combine(AppContext.BaseDirectory, "zones");

    public static string Sample(string file) => Path.Combine(AppContext.BaseDirectory, "sample", file);

    public static string Deploy(string relative) => Path.Combine(AppContext.BaseDirectory, "deploy", relative);

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    /// <summary>../shared/reference of the checkout, found by walking up from the test assembly; null when absent.</summary>
    public static string? SharedReference
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "reference");
                if (Directory.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}
