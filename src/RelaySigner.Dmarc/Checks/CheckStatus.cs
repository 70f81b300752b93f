namespace RelaySigner.Dmarc.Checks;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}
