using System.Runtime.Versioning;

// Drover is Linux-only by design; the UI uses its terminal and control-socket code.
[assembly: SupportedOSPlatform("linux")]
