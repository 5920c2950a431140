using System.Globalization;
using System.Text;
using DnsFp.Contract;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Spool;

/// <summary>
/// The agent's durable queue between its sources and Redis, in STATE_DIR/spool: segment files of one fact per line,
/// appended and fsync'd before a source moves its own read position on, and a "sent" position that moves on only
/// after Redis took the facts. So a crash at any point loses nothing, and what is sent twice the server folds once
/// (facts carry ids). Bounded: when <see cref="MaxBytes"/> of unsent facts are waiting, appends are refused and the
/// sources wait, their lines still in their logs.
/// </summary>
internal sealed partial class FactSpool : IDisposable
{
    private const long SegmentBytes = 16 << 20;
    private readonly string _dir;
    private readonly ILogger _logger;
    private readonly Lock _appendLock = new();
    private readonly SemaphoreSlim _appended = new(0);
    private FileStream _writer;
    private long _writerSegment;
    private bool _warnedFilling;

    private readonly IDisposable? _stateLock;

    public FactSpool(string stateDirectory, long maxBytes, ILogger logger, IDisposable? stateLock = null, Metrics.AgentMetrics? metrics = null)
    {
        _stateLock = stateLock;
        _metrics = metrics;
        _dir = Path.Combine(stateDirectory, "spool");
        Directory.CreateDirectory(_dir);
        MaxBytes = maxBytes;
        _logger = logger;
        var segments = Segments();
        _writerSegment = segments.Count == 0 ? 1 : segments[^1];
        _writer = OpenForAppend(_writerSegment);
    }

    private readonly Metrics.AgentMetrics? _metrics;

    public long MaxBytes { get; }

    /// <summary>Bytes appended but not yet sent.</summary>
    public long PendingBytes
    {
        get
        {
            var (segment, offset) = ReadSentPosition();
            return Segments().Where(s => s >= segment).Sum(s => new FileInfo(SegmentPath(s)).Length) - offset;
        }
    }

    /// <summary>Appends facts durably (fsync). False when the spool is full: nothing was written, try again later.</summary>
    public bool TryAppend(IReadOnlyCollection<Fact> facts)
    {
        if (facts.Count == 0) return true;
        var text = new StringBuilder();
        foreach (var f in facts) text.Append(FactLine.Encode(f)).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_appendLock)
        {
            long pending = PendingBytes;
            if (pending + bytes.Length > MaxBytes)
            {
                LogFull(_logger, _dir, pending);
                return false;
            }
            if (!_warnedFilling && pending > MaxBytes * 8 / 10) { _warnedFilling = true; LogFilling(_logger, _dir, pending, MaxBytes); }
            if (pending < MaxBytes / 2) _warnedFilling = false;
            if (_writer.Length > SegmentBytes)
            {
                _writer.Dispose();
                _writerSegment++;
                _writer = OpenForAppend(_writerSegment);
            }
            _writer.Write(bytes);
            _writer.Flush(flushToDisk: true);
        }
        _metrics?.Spooled(facts.Count);
        _appended.Release();
        return true;
    }

    /// <summary>Waits until something is appended or the timeout passes.</summary>
    public Task WaitForAppendAsync(TimeSpan timeout, CancellationToken stop) => _appended.WaitAsync(timeout, stop);

    /// <summary>Reads up to <paramref name="max"/> unsent facts in order, and the position after them.</summary>
    public (List<Fact> Facts, SpoolPosition Next) ReadUnsent(int max)
    {
        var facts = new List<Fact>(Math.Min(max, 4096));
        var (segment, offset) = ReadSentPosition();
        var segments = Segments();                        // one directory listing per read, not one per segment
        foreach (var s in segments.Where(s => s >= segment))
        {
            long start = s == segment ? offset : 0;
            using var stream = new FileStream(SegmentPath(s), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(start, SeekOrigin.Begin);
            long pos = start;
            var pending = new List<byte>(256);
            int b;
            while (facts.Count < max && (b = stream.ReadByte()) >= 0)
            {
                pos++;
                if (b != '\n') { pending.Add((byte)b); continue; }
                var fact = FactLine.Decode(Encoding.UTF8.GetString([.. pending]));
                pending.Clear();
                if (fact is null) { LogBadRecord(_logger, SegmentPath(s), pos); continue; }
                facts.Add(fact);
            }
            // only complete lines count: the position stays before a line still being written
            long complete = pos - pending.Count;
            if (facts.Count >= max || s == segments[^1]) return (facts, new SpoolPosition(s, complete));
        }
        return (facts, new SpoolPosition(segment, offset));
    }

    /// <summary>Records that everything before <paramref name="next"/> reached Redis, and deletes finished segments.</summary>
    public void MarkSent(SpoolPosition next)
    {
        AtomicFile.Write(Path.Combine(_dir, "sent.pos"), $"{next.Segment} {next.Offset}\n");
        long current;
        lock (_appendLock) current = _writerSegment;
        foreach (var s in Segments().Where(s => s < next.Segment && s < current)) File.Delete(SegmentPath(s));
    }

    private (long Segment, long Offset) ReadSentPosition()
    {
        var path = Path.Combine(_dir, "sent.pos");
        if (!File.Exists(path)) { var first = Segments(); return (first.Count == 0 ? 1 : first[0], 0); }
        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private List<long> Segments() => Directory.GetFiles(_dir, "*.spool")
        .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
        .Where(n => n > 0).Order().ToList();

    private string SegmentPath(long segment) => Path.Combine(_dir, segment.ToString("D10", CultureInfo.InvariantCulture) + ".spool");

    /// <summary>Opens a segment for appending, first cutting off a line a crash left half-written.</summary>
    private FileStream OpenForAppend(long segment)
    {
        var stream = new FileStream(SegmentPath(segment), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        long end = stream.Length;
        while (end > 0)
        {
            stream.Seek(end - 1, SeekOrigin.Begin);
            if (stream.ReadByte() == '\n') break;
            end--;
        }
        if (end != stream.Length)
        {
            LogTornTail(_logger, SegmentPath(segment), stream.Length - end);
            stream.SetLength(end);
        }
        stream.Seek(end, SeekOrigin.Begin);
        return stream;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _appended.Dispose();
        _stateLock?.Dispose();
    }

    [LoggerMessage(504, LogLevel.Warning, "{Message}")]
    internal static partial void LogStateDirectoryBusy(ILogger logger, string message);

    [LoggerMessage(500, LogLevel.Warning, "Spool {Directory} is filling: {Pending} of {Max} bytes of facts wait for Redis")]
    private static partial void LogFilling(ILogger logger, string directory, long pending, long max);

    [LoggerMessage(501, LogLevel.Error, "Spool {Directory} is full ({Pending} bytes wait for Redis): sources pause, their lines stay in the logs; raise Agent:SpoolMaxBytes or bring Redis back")]
    private static partial void LogFull(ILogger logger, string directory, long pending);

    [LoggerMessage(502, LogLevel.Warning, "Spool {Path}: {Bytes} bytes of a record cut short by a crash were dropped; its source will read that line again")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);

    [LoggerMessage(503, LogLevel.Warning, "Spool {Path}: unreadable record ending at byte {Offset} skipped")]
    private static partial void LogBadRecord(ILogger logger, string path, long offset);
}

internal readonly record struct SpoolPosition(long Segment, long Offset);
