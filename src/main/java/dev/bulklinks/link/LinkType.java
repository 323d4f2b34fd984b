package dev.bulklinks.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered link type, {@code name|input_type|output_type} (AYON). */
@Entity
@Table(name = "link_type")
@IdClass(LinkType.Key.class)
public class LinkType extends PanacheEntityBase {

    @Id
    public String project;
    @Id
    @Column(name = "link_type")
    public String linkType;
    public String name;
    @Column(name = "input_type")
    public String inputType;
    @Column(name = "output_type")
    public String outputType;
    @JdbcTypeCode(SqlTypes.JSON)
    public ObjectNode data;
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    /** The primary key: a type is registered once per project. */
    public record Key(String project, String linkType) implements Serializable {
    }
}
