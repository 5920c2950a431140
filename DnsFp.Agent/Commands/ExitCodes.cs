namespace DnsFp.Agent.Commands;

/// <summary>Exit codes, from BSD sysexits.h so that scripts and systemd can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 64;         // EX_USAGE: the flags do not make sense together
    public const int DataSkipped = 65;   // EX_DATAERR: done, but some input lines could not be parsed and were skipped
    public const int NoInput = 66;       // EX_NOINPUT: an input file is missing or unreadable
    public const int Unavailable = 69;   // EX_UNAVAILABLE: Redis could not be reached; nothing was lost, run it again
    public const int Config = 78;        // EX_CONFIG: bad settings
}
