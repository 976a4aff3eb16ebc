package io.tidemark.runtime.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LabelLayoutTest
{
    private static final Rectangle2D AREA = new Rectangle2D.Double(60, 40, 900, 500);
    private static final double HEIGHT = 15;

    /** No two labels share pixels, none covers a point, all are inside the plot. */
    static void assertClear(final List<Point2D> points, final List<Rectangle2D> boxes)
    {
        assertEquals(points.size(), boxes.size());
        for (int i = 0; i < boxes.size(); i++)
        {
            assertTrue(AREA.contains(boxes.get(i)), "inside the plot: " + boxes.get(i));
            for (int j = i + 1; j < boxes.size(); j++)
            {
                assertFalse(boxes.get(i).intersects(boxes.get(j)), "labels " + i + " and " + j + " overlap: " + boxes.get(i) + " " + boxes.get(j));
            }
            for (final Point2D point : points)
            {
                final Rectangle2D marker = new Rectangle2D.Double(point.getX() - LabelLayout.MARKER, point.getY() - LabelLayout.MARKER,
                    2 * LabelLayout.MARKER, 2 * LabelLayout.MARKER);
                assertFalse(boxes.get(i).intersects(marker), "label " + i + " covers the point at " + point);
            }
        }
    }

    @Test
    void aLoneLabelSitsRightBesideItsPoint()
    {
        final List<Point2D> points = List.of(new Point2D.Double(500, 300));
        final List<Rectangle2D> boxes = LabelLayout.place(points, List.of(80.0), HEIGHT, AREA);
        assertClear(points, boxes);
        assertEquals(500 + LabelLayout.MARKER + 3, boxes.get(0).getX());
        assertEquals(300, boxes.get(0).getCenterY());
    }

    @Test
    void aLabelAtTheRightEdgeGoesLeftOfItsPoint()
    {
        final List<Point2D> points = List.of(new Point2D.Double(AREA.getMaxX() - 10, 300));
        final List<Rectangle2D> boxes = LabelLayout.place(points, List.of(80.0), HEIGHT, AREA);
        assertClear(points, boxes);
        assertTrue(boxes.get(0).getMaxX() < AREA.getMaxX() - 10, boxes.get(0).toString());
    }

    /** Thirteen strategies on one spot, as when several bounds give the same result. */
    @Test
    void labelsOfPointsOnTheSameSpotAllFindRoom()
    {
        final List<Point2D> points = new ArrayList<>(Collections.nCopies(13, new Point2D.Double(100, 520)));
        final List<Double> widths = new ArrayList<>(Collections.nCopies(13, 90.0));
        assertClear(points, LabelLayout.place(points, widths, HEIGHT, AREA));
    }

    @Property(tries = 200)
    void randomlyCrowdedPointsGetLabelsThatNeitherOverlapNorCoverPoints(
        @ForAll @IntRange(min = 1, max = 20) final int count, @ForAll final long seed)
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        final List<Point2D> points = new ArrayList<>();
        final List<Double> widths = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            // Crowded into a corner a fifth of the plot wide, as a sweep's points often are.
            points.add(new Point2D.Double(AREA.getX() + random.nextDouble(AREA.getWidth() / 5), AREA.getY() + random.nextDouble(AREA.getHeight() / 5)));
            widths.add(40 + random.nextDouble(80));
        }
        assertClear(points, LabelLayout.place(points, widths, HEIGHT, AREA));
    }
}
