using System.Runtime.Versioning;

// Drover's process layer is Linux-only by design (posix_spawn flags, prctl, eventfd).
[assembly: SupportedOSPlatform("linux")]
