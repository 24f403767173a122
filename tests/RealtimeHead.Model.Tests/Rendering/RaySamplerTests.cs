using RealtimeHead.Model.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Rendering;

public sealed class RaySamplerTests
{
    private static readonly float Root2 = MathF.Sqrt(2);

    [Fact]
    public void IntersectBox_HandRays_MatchHandBounds()
    {
        using var scope = NewDisposeScope();
        var sampler = new RaySampler(4, 0, 0.5f);
        var origins = tensor(new float[]
        {
            0, 0, -1.5f,      // straight through the front and back faces
            -1, 0, -1,        // diagonal in the xz plane, parallel to the y slabs
            0, 1, -1.5f,      // passes above the cube
            0, 0, 0,          // starts at the centre
            0, 0, 1.5f,       // points away from the cube
        }, [1, 5, 3]);
        var directions = tensor(new float[]
        {
            0, 0, 1,
            1 / Root2, 0, 1 / Root2,
            0, 0, 1,
            1, 0, 0,
            0, 0, 1,
        }, [1, 5, 3]);
        var (near, far, hit) = sampler.IntersectBox(origins, directions);
        RenderAssert.Close([1f, 0.5f * Root2, 0, 0, 0], near, 1e-5);
        RenderAssert.Close([2f, 1.5f * Root2, 0, 0.5f, 0], far, 1e-5);
        Assert.Equal(new[] { true, true, false, true, false }, hit.data<bool>());
    }

    [Fact]
    public void Stratified_Eval_GivesBinMidpoints()
    {
        using var scope = NewDisposeScope();
        var sampler = new RaySampler(4, 0, 0.5f);
        var t = sampler.Stratified(tensor(new float[] { 1, 0 }, [1, 2, 1]), tensor(new float[] { 2, 0 }, [1, 2, 1]), jitter: false);
        RenderAssert.Close([1.125f, 1.375f, 1.625f, 1.875f, 0, 0, 0, 0], t, 1e-6);
    }

    [Fact]
    public void Stratified_Jitter_KeepsOneSamplePerBin()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var sampler = new RaySampler(8, 0, 0.5f);
        var t = sampler.Stratified(full([2, 50, 1], 1.0), full([2, 50, 1], 3.0), jitter: true);
        var bin = t.sub(1).div(0.25).floor();
        RenderAssert.Close(arange(8, ScalarType.Float32).expand(2, 50, 8), bin, 0);
        Assert.True(t.std().ToDouble() > 0.1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Importance_PeakedWeights_ConcentrateSamplesInThePeakSegment(bool jitter)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var sampler = new RaySampler(8, 16, 0.5f);
        var near = full([1, 3, 1], 1.0);
        var far = full([1, 3, 1], 2.0);
        var coarse = sampler.Stratified(near, far, jitter: false);                  // 1.0625, 1.1875, ...
        var weights = zeros(1, 3, 8);
        weights[0][0][5].fill_(0.9);                                                // segment [1.625, 1.75]
        weights[0][1][2].fill_(0.5);                                                // segment [1.25, 1.375]
        weights[0][2][0].fill_(1.0);                                                // segment [1.0, 1.125]
        var t = sampler.Importance(coarse, weights, near, far, jitter);
        RenderAssert.Shape([1, 3, 16], t);
        double[][] peaks = [[1.625, 1.75], [1.25, 1.375], [1.0, 1.125]];
        for (var ray = 0; ray < 3; ray++)
        {
            var samples = t[0][ray].data<float>();
            var inside = samples.Count(s => s >= peaks[ray][0] - 1e-6 && s <= peaks[ray][1] + 1e-6);
            Assert.True(inside >= 15, $"ray {ray}: only {inside} of 16 samples in the peak segment: {string.Join(", ", samples)}");
            Assert.Equal(samples.Order().ToArray(), samples);
        }
    }

    [Fact]
    public void Importance_ZeroWeights_SpreadUniformlyOverTheRay()
    {
        using var scope = NewDisposeScope();
        var sampler = new RaySampler(4, 4, 0.5f);
        var near = full([1, 1, 1], 1.0);
        var far = full([1, 1, 1], 2.0);
        var t = sampler.Importance(sampler.Stratified(near, far, false), zeros(1, 1, 4), near, far, jitter: false);
        RenderAssert.Close([1.125f, 1.375f, 1.625f, 1.875f], t, 1e-4);
    }

    [Fact]
    public void Importance_MissedRay_StaysOnItsEmptyInterval()
    {
        using var scope = NewDisposeScope();
        var sampler = new RaySampler(4, 6, 0.5f);
        var near = zeros(1, 1, 1);
        var t = sampler.Importance(sampler.Stratified(near, near, true), rand(1, 1, 4), near, near, jitter: true);
        RenderAssert.Close(new float[6], t, 0);
    }

    [Fact]
    public void SegmentEdges_AreNearMidpointsFar()
    {
        using var scope = NewDisposeScope();
        var edges = RaySampler.SegmentEdges(tensor(new float[] { 1.2f, 1.5f, 1.9f }, [1, 1, 3]), full([1, 1, 1], 1.0), full([1, 1, 1], 2.0));
        RenderAssert.Close([1f, 1.35f, 1.7f, 2f], edges, 1e-6);
    }
}
