package io.tidemark.runtime.tradeoff;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Places one text label beside each point of a scatter plot so that no label covers another
 * label or any point's marker and every label stays inside the plot: each label tries the
 * eight places around its point, nearest first, then rings further out (where the plot draws a
 * leader line to it), and takes the first place that is free.
 */
final class LabelLayout
{
    /** Half the side of the square a point's marker takes, in pixels. */
    static final double MARKER = 4;
    /** Directions tried around a point, nearest place first: right, left, above, below, then the corners. */
    private static final double[][] DIRECTIONS = {{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    private static final double GAP = 3;

    private LabelLayout()
    {
    }

    /**
     * @param points where the points are, in pixels.
     * @param widths each label's width, in pixels.
     * @param height a label's height, in pixels.
     * @param area   where labels may go.
     * @return each label's box, in the order of {@code points}; a box that touches its point's
     *         marker is in the first ring, any other needs a leader line.
     */
    static List<Rectangle2D> place(final List<Point2D> points, final List<Double> widths, final double height, final Rectangle2D area)
    {
        final List<Rectangle2D> markers = new ArrayList<>();
        for (final Point2D point : points)
        {
            markers.add(new Rectangle2D.Double(point.getX() - MARKER, point.getY() - MARKER, 2 * MARKER, 2 * MARKER));
        }
        final List<Rectangle2D> placed = new ArrayList<>();
        final int rings = (int)Math.ceil(Math.max(area.getWidth(), area.getHeight()) / height);
        for (int i = 0; i < points.size(); i++)
        {
            placed.add(free(points.get(i), widths.get(i), height, area, markers, placed, rings));
        }
        return placed;
    }

    private static Rectangle2D free(
        final Point2D point, final double width, final double height, final Rectangle2D area, final List<Rectangle2D> markers,
        final List<Rectangle2D> placed, final int rings)
    {
        for (int ring = 0; ring <= rings; ring++)
        {
            final double distance = MARKER + GAP + ring * height;
            for (final double[] direction : DIRECTIONS)
            {
                final Rectangle2D box = beside(point, width, height, distance, direction);
                if (area.contains(box) && markers.stream().noneMatch(box::intersects) && placed.stream().noneMatch(box::intersects))
                {
                    return box;
                }
            }
        }
        // The plot is full: the label goes to its nearest place inside the plot, covering something.
        final Rectangle2D box = beside(point, width, height, MARKER + GAP, DIRECTIONS[0]);
        final double x = Math.max(area.getMinX(), Math.min(box.getX(), area.getMaxX() - width));
        final double y = Math.max(area.getMinY(), Math.min(box.getY(), area.getMaxY() - height));
        return new Rectangle2D.Double(x, y, width, height);
    }

    /**
     * @return the box {@code distance} from the point in the direction: its near edge (or corner)
     *         at that distance, centred on the point along a straight direction.
     */
    private static Rectangle2D beside(final Point2D point, final double width, final double height, final double distance, final double[] direction)
    {
        final double x = direction[0] > 0 ? point.getX() + distance : direction[0] < 0 ? point.getX() - distance - width : point.getX() - width / 2;
        final double y = direction[1] > 0 ? point.getY() + distance : direction[1] < 0 ? point.getY() - distance - height : point.getY() - height / 2;
        return new Rectangle2D.Double(x, y, width, height);
    }
}
