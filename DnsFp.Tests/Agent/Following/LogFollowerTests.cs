using DnsFp.Agent.Following;

namespace DnsFp.Tests.Agent.Following;

/// <summary>The follower across rotations it did not see happen: every line is read once, none is skipped.</summary>
public sealed class LogFollowerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsfp-follow-").FullName;
    private string Log => Path.Combine(_dir, "mainlog");
    private string Position => Path.Combine(_dir, "mainlog.position");
    private int _next;

    [Fact]
    public void A_restart_after_copytruncate_and_rename_reads_the_file_between_them()
    {
        // the agent has read and committed everything, then: copytruncate, lines it never saw, SIGKILL,
        // a rename rotation while it is dead, more lines; the restarted agent must read both batches
        Write(20);
        using (var f = new LogFollower(Log, Position)) { Assert.Equal(Range(0, 20), ReadAll(f)); f.Commit(); }
        Shift(); File.Copy(Log, Log + ".1"); using (var s = new FileStream(Log, FileMode.Open, FileAccess.Write)) s.SetLength(0);
        Write(7);                                                           // unseen, in the truncated file
        Shift(); File.Move(Log, Log + ".1"); File.WriteAllText(Log, "");    // now mainlog.1; the copy is mainlog.2
        Write(5);
        using var again = new LogFollower(Log, Position);
        Assert.Equal(Range(20, 12), ReadAll(again));
    }

    [Fact]
    public void Two_rename_rotations_while_behind_read_every_file_in_order()
    {
        Write(10);
        using var f = new LogFollower(Log, Position);
        Assert.Equal(Range(0, 10), ReadAll(f));
        Write(3);
        Shift(); File.Move(Log, Log + ".1"); File.WriteAllText(Log, "");
        Write(4);
        Thread.Sleep(20);                                                   // distinct modification times
        Shift(); File.Move(Log, Log + ".1"); File.WriteAllText(Log, "");
        Write(6);
        Assert.Equal(Range(10, 13), ReadAll(f));
    }

    [Fact]
    public void A_restart_reads_the_rest_of_a_renamed_file_then_the_new_one()
    {
        Write(10);
        using (var f = new LogFollower(Log, Position)) { Assert.Equal(Range(0, 10), ReadAll(f)); f.Commit(); }
        Write(3);
        Shift(); File.Move(Log, Log + ".1"); File.WriteAllText(Log, "");
        Write(2);
        using var again = new LogFollower(Log, Position);
        Assert.Equal(Range(10, 5), ReadAll(again));
    }

    private static List<string> Range(int start, int count) => [.. Enumerable.Range(start, count).Select(i => $"line {i}")];

    private static List<string> ReadAll(LogFollower f)
    {
        var all = new List<string>();
        for (int quiet = 0; quiet < 3;)
        {
            var batch = f.ReadBatch(4);
            if (batch.Count == 0) { quiet++; continue; }
            quiet = 0;
            all.AddRange(batch.Select(l => l.Text));
        }
        return all;
    }

    private void Write(int lines)
    {
        using var w = File.AppendText(Log);
        for (int i = 0; i < lines; i++) w.Write($"line {_next++}\n");
    }

    private void Shift()
    {
        for (int i = 8; i >= 1; i--)
            if (File.Exists($"{Log}.{i}")) File.Move($"{Log}.{i}", $"{Log}.{i + 1}", overwrite: true);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
