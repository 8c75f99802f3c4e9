using System.Runtime.Versioning;

// Drover is Linux-only by design.
[assembly: SupportedOSPlatform("linux")]
