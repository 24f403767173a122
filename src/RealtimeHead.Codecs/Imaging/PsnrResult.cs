namespace RealtimeHead.Codecs.Imaging;

/// <summary>PSNR in dB of each I420 plane and of all samples together; +∞ for identical planes.</summary>
/// <param name="Y">Luma PSNR.</param>
/// <param name="U">Cb PSNR.</param>
/// <param name="V">Cr PSNR.</param>
/// <param name="Overall">PSNR of the summed squared error over every sample of the three planes (as libvpx reports).</param>
public readonly record struct PsnrResult(double Y, double U, double V, double Overall);
