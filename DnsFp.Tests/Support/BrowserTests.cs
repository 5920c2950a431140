namespace DnsFp.Tests.Support;

/// <summary>
/// Tests that run chromium run alone, after the parallel ones: a headless browser takes both cores of a CI machine
/// for seconds, and the agent tests that wait for exact counts within a deadline should not share the machine with it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTests
{
    public const string Name = "browser (run alone)";
}
