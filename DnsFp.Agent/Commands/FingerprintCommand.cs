using System.CommandLine;
using DnsFp.Agent.Fingerprints;

namespace DnsFp.Agent.Commands;

/// <summary>"dnsfp-agent fingerprint": names the OS behind every SYN of a capture file with pf.os and/or p0f.fp.</summary>
internal static class FingerprintCommand
{
    public static Command Create()
    {
        var pcap = new Option<FileInfo>("--pcap") { Description = "Capture file (pcap or pcapng; Ethernet, loopback, raw IP, Linux cooked)", Required = true };
        var databases = new Option<FileInfo[]>("--db")
        {
            Description = "pf.os or p0f.fp signature file (told apart by content); repeatable. Default: those of "
                + string.Join(", ", SignatureDatabase.DefaultPaths) + " that exist",
        };
        var compatible = new Option<bool>("--p0f-compatible") { Description = "Match exactly as p0f 3.09b does; without it an IPv6 SYN that differs from a p0f.fp signature only by its flow label (which modern stacks set and p0f.fp never allows) is named like its IPv4 twin" };
        var ports = new Option<int[]>("--port") { Description = "Only SYNs to this destination port (e.g. 25); repeatable. Default: every SYN" };
        var command = new Command("fingerprint", """
            Print one line per SYN (SYN without ACK; a retransmission of the same SYN is not repeated) and per database:
              client_ip <TAB> client_port <TAB> label <TAB> database <TAB> quality
            label is what pf (tcpdump -o) or p0f 3.09b would name the OS: "unknown" (pf) or "???" (p0f) when nothing
            matches; quality is exact, generic, fuzzy, "generic fuzzy" (p0f's match quality) or "-".
            A SYN the reference ignores (p0f: SYN+FIN, fragments) gets no line from that database.
            Exit codes: 0 done; 65 the capture or a database has lines or packets that were skipped; 66 a file is missing.
            """) { pcap, databases, ports, compatible };
        command.SetAction(r => Run(r.GetValue(pcap)!, r.GetValue(databases) ?? [], r.GetValue(ports) ?? [], Console.Out, Console.Error, r.GetValue(compatible)));
        return command;
    }

    internal static int Run(FileInfo pcap, FileInfo[] databaseFiles, int[] ports, TextWriter output, TextWriter errors, bool p0fCompatible = false)
    {
        try
        {
            return Fingerprint(pcap, databaseFiles, ports, output, errors, p0fCompatible);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"dnsfp-agent fingerprint: cannot read: {e.Message}");
            return ExitCodes.NoInput;
        }
    }

    private static int Fingerprint(FileInfo pcap, FileInfo[] databaseFiles, int[] ports, TextWriter output, TextWriter errors, bool p0fCompatible)
    {
        var paths = databaseFiles.Length > 0 ? databaseFiles.Select(f => f.FullName).ToArray() : SignatureDatabase.DefaultPaths.Where(File.Exists).ToArray();
        if (paths.Length == 0) { errors.WriteLine($"dnsfp-agent fingerprint: no signature database; give --db (none of {string.Join(", ", SignatureDatabase.DefaultPaths)} exists)"); return ExitCodes.NoInput; }
        foreach (var missing in paths.Append(pcap.FullName).Where(p => !File.Exists(p)))
        {
            errors.WriteLine($"dnsfp-agent fingerprint: '{missing}' does not exist");
            return ExitCodes.NoInput;
        }

        bool skipped = false;
        var databases = new List<ISignatureDatabase>();
        foreach (var path in paths)
        {
            var database = SignatureDatabase.Load(path, p0fCompatible);
            foreach (var problem in database.Problems)
                errors.WriteLine($"dnsfp-agent fingerprint: {path} line {problem.Line}: {problem.Message}; line skipped");
            skipped |= database.Problems.Count > 0;
            if (database.SignatureCount == 0) { errors.WriteLine($"dnsfp-agent fingerprint: {path} holds no SYN signatures"); return ExitCodes.DataSkipped; }
            databases.Add(database);
        }

        var reader = new SynFileReader();
        using var stream = File.OpenRead(pcap.FullName);
        try
        {
            foreach (var syn in reader.Read(stream))
            {
                if (ports.Length > 0 && !ports.Contains(syn.DestinationPort)) continue;
                string signature = Fingerprints.P0fFp.P0fRawSignature.KeyOf(syn) ?? "-";      // the stack's key, named or not (DnsFp.Contract/SynSignature.cs)
                foreach (var database in databases)
                {
                    if (database.Fingerprint(syn) is not { } fingerprint) continue;
                    output.WriteLine($"{syn.Source}\t{syn.SourcePort}\t{fingerprint.Label}\t{fingerprint.Database}\t{fingerprint.Quality}\t{signature}");
                }
            }
        }
        catch (InvalidDataException e)
        {
            errors.WriteLine($"dnsfp-agent fingerprint: {pcap.FullName}: {e.Message}; stopped after {reader.Frames} packets");
            return ExitCodes.DataSkipped;
        }
        errors.WriteLine($"dnsfp-agent fingerprint: {reader.Frames} packets, {reader.Syns} SYNs ({reader.Retransmitted} retransmissions not repeated); {reader.Malformed} malformed and {reader.NotIp} non-IP packets skipped"
            + $"; databases: {string.Join(", ", databases.Select(d => $"{d.Path} ({d.Kind}, {d.SignatureCount} signatures)"))}"
            + string.Concat(reader.GuessedLinkTypes.Select(g => $"; {g} (guessed)")));
        return skipped || reader.Malformed > 0 ? ExitCodes.DataSkipped : ExitCodes.Ok;
    }
}
