using System.Globalization;

namespace DnsFp.Tests.Support;

/// <summary>
/// Writes Exim or Postfix log lines into a file the way the MTA would (appending whole lines), rotates it the way
/// logrotate does, and counts the accepted and rejected messages it wrote, for exact comparison with dnsfp's totals.
/// </summary>
public sealed class MailLogGenerator(string path, bool postfix, int seed)
{
    private readonly Random _rng = new(seed);
    private int _n;
    private readonly List<(string QueueId, string Ip)> _openPostfix = [];

    public int Accepted { get; private set; }
    public int Rejected { get; private set; }

    public void Write(int lines)
    {
        using var w = new StreamWriter(path, append: true);
        for (int i = 0; i < lines; i++) w.WriteLine(postfix ? NextPostfix() : NextExim());
    }

    /// <summary>logrotate without copytruncate: shift the old files, rename the log, create a new one.</summary>
    public void RotateByRename()
    {
        Shift();
        File.Move(path, path + ".1");
        File.WriteAllText(path, "");
    }

    /// <summary>logrotate with copytruncate: shift the old files, copy the log, truncate it in place.</summary>
    public void RotateByCopyTruncate()
    {
        Shift();
        File.Copy(path, path + ".1");
        using var s = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        s.SetLength(0);
    }

    private void Shift()
    {
        for (int i = 8; i >= 1; i--)
            if (File.Exists($"{path}.{i}")) File.Move($"{path}.{i}", $"{path}.{i + 1}", overwrite: true);
    }

    private string Ip() => $"198.51.{_rng.Next(0, 4)}.{_rng.Next(1, 255)}";

    private static string Stamp() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private string NextExim()
    {
        _n++;
        string id = $"1v{_n % 100000:D5}-{_n:D6}-AB"[..16];
        string ip = Ip();
        switch (_rng.Next(10))
        {
            case < 4:
                Accepted++;
                return $"{Stamp()} 1vAAAA-{_n:D6}-AB <= s{_n}@example.net H=mx{_n}.example.net [{ip}]:{_rng.Next(1024, 65535)} P=esmtp S={_rng.Next(500, 90000)} id={_n}@example.net";
            case < 6:
                Rejected++;
                // deliberately the same text often: a bot retrying within one second
                return $"{Stamp()} H=(bot) [{ip}]:{1024 + _n % 3} F=<spam@example.com> rejected RCPT <user@example.org>: relay not permitted";
            case < 7:
                Rejected++;
                return $"{Stamp()} 1vBBBB-{_n:D6}-AB H=host.example.com [{ip}]:{_rng.Next(1024, 65535)} F=<x@example.com> rejected after DATA: spam";
            case < 8:
                return $"{Stamp()} 1vAAAA-{_n:D6}-AB => user@example.org R=local_user T=local_delivery";
            case < 9:
                return $"{Stamp()} 1vAAAA-{_n:D6}-AB <= root@example.org U=root P=local S=300 {id}";
            default:
                return $"{Stamp()} SMTP connection from [{ip}]:{_rng.Next(1024, 65535)} lost";
        }
    }

    private string NextPostfix()
    {
        _n++;
        string stamp = DateTime.UtcNow.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        int pick = _rng.Next(10);
        if (pick < 3)
        {
            string q = $"{_n:X10}";
            string ip = Ip();
            _openPostfix.Add((q, ip));
            return $"{stamp} mail postfix/smtpd[{1000 + _n % 50}]: {q}: client=mx.example.net[{ip}]";
        }
        if (pick < 6 && _openPostfix.Count > 0)
        {
            var (q, _) = _openPostfix[0];
            _openPostfix.RemoveAt(0);
            Accepted++;
            return $"{stamp} mail postfix/qmgr[900]: {q}: from=<s@example.net>, size=1234, nrcpt=1 (queue active)";
        }
        if (pick < 8)
        {
            Rejected++;
            return $"{stamp} mail postfix/smtpd[{1000 + _n % 50}]: NOQUEUE: reject: RCPT from unknown[{Ip()}]: 554 5.7.1 <u@example.org>: Relay access denied; from=<s@example.com> to=<u@example.org> proto=ESMTP helo=<bot>";
        }
        if (pick < 9) return $"{stamp} mail postfix/smtpd[{1000 + _n % 50}]: connect from unknown[{Ip()}]";
        return $"{stamp} mail dovecot: imap-login: Login: user=<u>, rip=192.0.2.1";
    }
}
