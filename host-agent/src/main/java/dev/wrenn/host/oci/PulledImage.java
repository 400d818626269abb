package dev.wrenn.host.oci;

import java.nio.file.Path;
import java.util.List;

/** A pulled image: the manifest digest asked for, its config, and its verified layer files, bottom first. */
record PulledImage(String digest, ImageConfig config, List<Descriptor> layers, List<Path> layerFiles) {}
