package dev.wrenn.guest.fs;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Maps I/O failures to the Connect codes clients branch on, with a message naming the operation and the path. */
final class FilesystemErrors {
    private FilesystemErrors() {}

    static ConnectException of(String operation, Path path, IOException e) {
        String message = operation + " " + path + ": " + reason(e);
        return switch (e) {
            case NoSuchFileException _ -> new ConnectException(Code.NOT_FOUND, message, e);
            case AccessDeniedException _ -> new ConnectException(Code.PERMISSION_DENIED, message, e);
            case FileAlreadyExistsException _ -> new ConnectException(Code.ALREADY_EXISTS, message, e);
            case NotDirectoryException _ -> new ConnectException(Code.INVALID_ARGUMENT, message, e);
            case DirectoryNotEmptyException _ -> new ConnectException(Code.FAILED_PRECONDITION, message, e);
            default -> new ConnectException(Code.INTERNAL, message, e);
        };
    }

    static ConnectException missing(Path path) {
        return ConnectException.notFound("path " + path + " does not exist");
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return switch (e) {
            case NoSuchFileException _ -> "no such file or directory";
            case AccessDeniedException _ -> "permission denied";
            case FileAlreadyExistsException _ -> "already exists";
            case NotDirectoryException _ -> "not a directory";
            case DirectoryNotEmptyException _ -> "directory not empty";
            default -> String.valueOf(e.getMessage());
        };
    }
}
